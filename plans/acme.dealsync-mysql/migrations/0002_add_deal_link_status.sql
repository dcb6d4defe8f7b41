-- A nullable status column: added in place, without copying the table or blocking writes.
ALTER TABLE `deal_links` ADD COLUMN `status` VARCHAR(16) NULL, ALGORITHM=INSTANT, LOCK=NONE;
