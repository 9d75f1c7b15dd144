-- An event is identified by ce_source + ce_id (CloudEvents), not by ce_id alone: the same id from another
-- source is another event. Rows claimed before this migration keep an empty source; ProcessedEvents still
-- counts such a row as a claim of its id from any source until the retention purge removes it.
alter table processed_event add column ce_source varchar(500) not null default '';
alter table processed_event drop constraint processed_event_pkey;
alter table processed_event add primary key (ce_source, ce_id);
