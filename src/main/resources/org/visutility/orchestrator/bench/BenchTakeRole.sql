-- Benchmark only: this connection acts as the given role (SET ROLE, with the name bound) until RESET ROLE.
SELECT set_config('role', :role, false)
