-- The shared shape of the module's tables (README "Tables"), in the schema of the module's tests.
-- The services reach the same shape through their own Flyway migrations.
drop schema if exists messaging_test cascade;
create schema messaging_test;

create table messaging_test.outbox (
  id           bigserial    primary key,
  topic        varchar(200) not null,
  record_key   varchar(200) not null,
  ce_id        varchar(200) not null unique,
  ce_type      varchar(100) not null,
  ce_subject   varchar(200),
  ce_time      timestamptz  not null,
  payload      bytea        not null,
  created_at   timestamptz  not null default now(),
  published_at timestamptz
);
create index outbox_unpublished on messaging_test.outbox (id) where published_at is null;
create index outbox_published on messaging_test.outbox (published_at) where published_at is not null;

create table messaging_test.processed_event (
  ce_source    varchar(500) not null default '',
  ce_id        varchar(200) not null,
  ce_type      varchar(100) not null,
  topic        varchar(200) not null,
  outcome      varchar(32)  not null default 'RECEIVED',
  outcome_ref  varchar(200),
  processed_at timestamptz  not null default now(),
  primary key (ce_source, ce_id)
);
create index processed_event_processed_at on messaging_test.processed_event (processed_at);
