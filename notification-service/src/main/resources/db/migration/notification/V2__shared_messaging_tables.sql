-- The outbox and processed_event tables in the shape pathway-messaging reads and writes (its README,
-- "Tables"), the same as pathway-service's. Existing rows stay: an outbox row still there was never
-- published (this service used to delete rows once sent), so published_at starts empty.

alter table processed_event rename column event_id to ce_id;
alter table processed_event rename column event_type to ce_type;
alter table processed_event add column outcome varchar(32) not null default 'ACCEPTED';
alter table processed_event alter column outcome set default 'RECEIVED';
alter table processed_event add column outcome_ref varchar(200);
alter table processed_event alter column processed_at set default now();
create index processed_event_processed_at on processed_event (processed_at);

alter table outbox rename column event_id to ce_id;
alter table outbox rename column event_type to ce_type;
alter table outbox rename column subject to ce_subject;
alter table outbox rename column occurred_at to ce_time;
alter table outbox rename constraint outbox_event_id_key to outbox_ce_id_key;
alter table outbox alter column created_at set default now();
alter table outbox add column published_at timestamptz;
create index outbox_unpublished on outbox (id) where published_at is null;
create index outbox_published on outbox (published_at) where published_at is not null;
