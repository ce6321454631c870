-- Registers the experiment's model on first sight (a submitted spec may name a model no collector has reported yet).
INSERT INTO orchestrator.model (name) VALUES (:model) ON CONFLICT (name) DO NOTHING
