-- The FHIR projection reads a pathway's escalations by pathway (a lookup only; the table is unchanged).
-- A migration of its own: V90 is applied already wherever issue 18 was merged.
create index fhir_escalation_pathway on escalation (pathway_id);
