-- Anonymous counts of first contact: no request id, nothing a person wrote. They stay
-- after their requests are deleted, for the coordinators' weekly figures.
CREATE TABLE first_contacts (
    week            TEXT NOT NULL,
    team            TEXT NOT NULL,
    urgent          INTEGER NOT NULL,
    minutes         INTEGER NOT NULL,
    within_deadline INTEGER NOT NULL
) STRICT;
CREATE INDEX first_contacts_by_week ON first_contacts (week);
