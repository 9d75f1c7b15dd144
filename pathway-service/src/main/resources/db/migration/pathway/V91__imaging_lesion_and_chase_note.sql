-- F16: where the lesion of the enrolment's imaging lies, so that an elective referral can require a nerve root block
-- of a root at that level and on that side. Both optional: an enrolment without them locates no lesion.
alter table pathway.enrolment_fact add column imaging_level varchar(7);
alter table pathway.enrolment_fact add column imaging_side varchar(9)
  check (imaging_side in ('LEFT', 'RIGHT', 'BILATERAL', 'CENTRAL'));

-- F11: what the coordinator wrote when closing the chase of a test as not done or cancelled, shown to the clinician who
-- confirms the diagnosis.
alter table pathway.result_fact add column note varchar(2000);
