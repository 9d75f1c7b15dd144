-- Issue 16: events by source and id, one active pathway per patient, records held for a person.

-- An event is identified by ce_source + ce_id (CloudEvents): the same id from another source is another
-- event. Rows claimed before this migration keep an empty source; ProcessedEvents counts such a row as a
-- claim of its id from any source until the retention purge removes it.
alter table processed_event add column ce_source varchar(500) not null default '';
alter table processed_event drop constraint processed_event_pkey;
alter table processed_event add primary key (ce_source, ce_id);

-- The inbox keeps events by the same identity.
update inbox set ce_source = '' where ce_source is null;
alter table inbox alter column ce_source set default '';
alter table inbox alter column ce_source set not null;
alter table inbox drop constraint inbox_ce_id_key;
alter table inbox add constraint inbox_source_id unique (ce_source, ce_id);
-- why an entry is held for a person rather than matched (e.g. CLOCK_AHEAD: dated in the future)
alter table inbox add column held_reason varchar(32);

-- A patient has at most one active pathway (docs/clinical-pathway.md, "One pathway per patient"): a
-- second referral joins the active pathway instead of starting another. This refuses to apply while a
-- patient still has two active pathways: end one of them first (docs/operations.md).
create unique index pathway_ref_one_active_per_patient on pathway_ref (patient_ref)
  where ended_at is null and kind = 'PATHWAY';
