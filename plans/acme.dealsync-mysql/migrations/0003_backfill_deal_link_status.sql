# Marks existing links of one portal as linked, one batch at a time (MySQL has UPDATE … LIMIT).
UPDATE `deal_links`
SET `status` = 'linked'
WHERE `member_id` = :member_id AND `status` IS NULL
LIMIT :batch_size;
