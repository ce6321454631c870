-- As the owner: grant the database's roles (those that exist) their privileges; see V95.
SELECT orchestrator.grant_database_roles(:reader, :conditions)
