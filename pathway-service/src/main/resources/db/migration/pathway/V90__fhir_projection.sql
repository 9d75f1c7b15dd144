-- The FHIR R4 read interface (docs/fhir.md): every resource /fhir serves, as projected from the
-- service's own tables and the engine's history, with a version that changes when its content does
-- (and only then). The source tables keep their meaning; the triggers below only note which pathway
-- changed, in the transaction that changed it, so that the projection catches up.

create table fhir_resource (
  resource_type varchar(32)  not null,
  resource_id   varchar(64)  not null,
  pathway_id    varchar(64)  not null,           -- the pathway (or stand-alone escalation) it belongs to
  patient_ref   varchar(128) not null,
  status        varchar(32)  not null,
  version_id    integer      not null,
  last_updated  timestamptz  not null,
  content_hash  varchar(64)  not null,
  content       text         not null,           -- the resource as JSON, without id and meta
  primary key (resource_type, resource_id)
);
create index fhir_resource_patient on fhir_resource (resource_type, patient_ref, last_updated, resource_id);
create index fhir_resource_updated on fhir_resource (resource_type, last_updated, resource_id);
create index fhir_resource_pathway on fhir_resource (pathway_id);

-- Pathways whose resources must be projected again (the owner: a pathway_ref id), one row per change.
-- Insert-only for the changing transactions: no row of it is ever updated or locked by them, so
-- marking never makes two engine transactions of one pathway wait for each other. The projection
-- deletes exactly the rows it saw before it projected.
create table fhir_stale (
  id         bigserial   primary key,
  pathway_id varchar(64) not null,
  marked_at  timestamptz not null default clock_timestamp()
);
create index fhir_stale_pathway on fhir_stale (pathway_id);

create function fhir_mark_stale(owner varchar) returns void language sql as $$
  insert into pathway.fhir_stale (pathway_id) values (owner);
$$;

-- the owner of an id: an escalation inside a pathway belongs to that pathway
create function fhir_owner(id varchar) returns varchar language sql stable as $$
  select coalesce((select e.pathway_id from pathway.escalation e where e.escalation_id = id), id);
$$;

create function fhir_stale_trigger() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'escalation' then
    perform pathway.fhir_mark_stale(coalesce(new.pathway_id, new.escalation_id));
    if new.adopted_by is not null then
      perform pathway.fhir_mark_stale(new.adopted_by);
    end if;
  elsif new.pathway_id is not null then
    perform pathway.fhir_mark_stale(pathway.fhir_owner(new.pathway_id));
  end if;
  return null;
end;
$$;

create trigger fhir_stale after insert on journal for each row execute function fhir_stale_trigger();
create trigger fhir_stale after insert or update on pathway_ref for each row execute function fhir_stale_trigger();
create trigger fhir_stale after insert or update on order_ref for each row execute function fhir_stale_trigger();
create trigger fhir_stale after insert or update on escalation for each row execute function fhir_stale_trigger();
create trigger fhir_stale after insert or update on referral_issued for each row execute function fhir_stale_trigger();

-- What the notification service reported about the delivery of an alert or referral
-- (notification.delivered.v1 / notification.failed.v1 on notification.deliveries): Communication.status.
create table fhir_delivery (
  notification_id varchar(200) not null,
  delivered       boolean      not null,
  source_event_id varchar(200) not null,
  pathway_id      varchar(64),
  channel         varchar(16),
  recipient       varchar(200),
  attempts        integer,
  reason          varchar(500),
  at              timestamptz  not null,
  primary key (notification_id, delivered)
);
create index fhir_delivery_source on fhir_delivery (source_event_id);

-- pathways that exist before this migration are projected once
insert into fhir_stale (pathway_id) select pathway_id from pathway_ref;
