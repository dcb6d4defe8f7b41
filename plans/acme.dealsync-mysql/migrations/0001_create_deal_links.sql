-- Links between CRM deals and the items they are synced with, one set per portal (MySQL/MariaDB).
CREATE TABLE `deal_links` (
    `id`          VARCHAR(36)  NOT NULL PRIMARY KEY,
    `member_id`   VARCHAR(64)  NOT NULL,
    `deal_id`     BIGINT       NOT NULL,
    `target_type` VARCHAR(32)  NOT NULL,
    `target_id`   VARCHAR(64)  NOT NULL,
    `created_by`  BIGINT,
    `created_at`  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY `deal_links_target` (`member_id`, `deal_id`, `target_type`, `target_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
