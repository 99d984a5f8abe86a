-- A manager may take a breached incident over: it is assigned to them and its escalations stop.
-- NULL until someone takes it over.
ALTER TABLE incidents ADD COLUMN assigned_to TEXT;
