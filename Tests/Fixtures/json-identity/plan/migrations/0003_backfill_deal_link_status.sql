-- Marks existing links of one portal as linked, one batch at a time.
UPDATE deal_links
SET status = 'linked'
WHERE id IN (
    SELECT id FROM deal_links
    WHERE member_id = :member_id AND status IS NULL
    LIMIT :batch_size
);
