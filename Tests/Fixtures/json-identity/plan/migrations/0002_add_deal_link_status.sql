-- Link status shown on the deal tab (linked, done, broken). Nullable, so older code keeps working.
ALTER TABLE deal_links ADD COLUMN status TEXT;
