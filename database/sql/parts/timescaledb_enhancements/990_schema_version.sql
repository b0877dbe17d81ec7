---------------------------------------------------------------------------------------------
-- The schema generation the three files create; the services refuse to start below the one they
-- need. Defined last, so that a database with only schema.sql applied reads as not migrated, and
-- so does one whose first psql run stopped at an error. The one name of this file used above its
-- definition: dataplane_monitor_report() calls it, at run time.
CREATE OR REPLACE FUNCTION dataplane_schema_version() RETURNS integer
LANGUAGE sql IMMUTABLE AS 'SELECT 5';
