-- The outbox and processed_event tables in the shape pathway-messaging reads and writes (its README,
-- "Tables"); notification-service's V2 brings its own tables to the same shape. Existing rows stay.

-- processed_event: what an outcome concerned is a generic reference (here the pathway id).
alter table processed_event rename column pathway_id to outcome_ref;
alter table processed_event alter column outcome_ref type varchar(200);
alter table processed_event alter column outcome set default 'RECEIVED';
alter index processed_event_pathway rename to processed_event_outcome_ref;
-- the retention purge deletes by age
create index processed_event_processed_at on processed_event (processed_at);

-- outbox: the same key width in both services; published rows are purged by age
alter table outbox alter column record_key type varchar(200);
create index outbox_published on outbox (published_at) where published_at is not null;
