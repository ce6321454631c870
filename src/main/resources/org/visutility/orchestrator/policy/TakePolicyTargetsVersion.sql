-- Takes the policy targets' counter first in an apply (and counts the apply as a change): its
-- row is the first lock every writer of retrain_policy and policy_state takes, so an apply, which
-- locks policy rows before it writes them, never waits in the opposite order of a policy pass.
UPDATE orchestrator.policy_targets_version SET version = version + 1
