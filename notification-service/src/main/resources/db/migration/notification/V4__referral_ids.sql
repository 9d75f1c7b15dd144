-- F20: a referral cancellation (pathway.referral.cancelled.v1) goes to the recipients and channels its referral went
-- to. The notifications of a referral, and of its cancellation, carry the referralId they are about.
alter table notification add column referral_id varchar(64);
create index notification_referral on notification (referral_id, patient_ref) where referral_id is not null;
