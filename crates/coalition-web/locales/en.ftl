# Every string the web pages show, in English. fr.ftl holds the same ids (a test checks it).

## Frame
skip-to-content = Skip to content
banner-label = Overall marking of this page
nav-label = Sections
language-label = Language
signed-in-as = Signed in as { $principal }
sign-out = Sign out
sign-in = Sign in
as-at = as at { $at }

## Errors
error-not-found = Not found
error-not-found-detail = There is no such page, or nothing here that you may read.
error-forbidden = Not allowed
error-other-coalition = You are signed in for { $coalition }. Sign out and sign in with a token for this coalition.
error-forgery = This form did not come from your session on this site. Reload the page and try again.
error-bad-request = The request could not be taken
error-internal = Something went wrong
error-internal-detail = The server could not answer; its log says why.
error-unavailable = The record cannot be reached
error-unavailable-detail = Nothing was written. Try again in a few seconds.
error-home = Back to the start page

## Sign-in
sign-in-title = Sign in
sign-in-intro = Sign in with the token your secretariat issued you (coalition token issue). The token stays in this server's memory for the session; signing out ends it.
sign-in-token = Token
sign-in-token-help = It starts with coalition_. Paste it whole.
sign-in-token-missing = Enter your token.
sign-in-token-invalid = This token is unknown, revoked or expired.

## Start page and public face
home-title = Coalitions
home-intro = The record of the security guarantees these coalitions give. Anyone may read their public faces.
home-public = Public face
home-sign-in = Sign in to see what your clearance allows.
public-intro = What military secrecy allows us to say: the guarantees given to { $protected }, as the record holds them.
public-members = Members
public-member-count = { $n ->
    [one] One member has made its seat public.
   *[other] { $shown } members have made their seats public.
}
public-statements = Adopted statements
public-no-statements = No statement has been adopted yet.
statement-version-adopted = Version { $version }, as adopted
public-communiques = Communiqués
public-figures = Figures released
public-no-figures = No figure has been released.
public-figures-caption = Figures the coalition decided to publish
public-figure = What it counts
public-value = Value
public-checkpoint = The record, checked
public-checkpoint-size = The public log holds { $size } entries; its latest checkpoint, signed with the coalition's log key:
public-verify = Anyone can check, without our server, that the public record was never rewritten:

## Navigation
nav-dashboard = Dashboard
nav-commitments = Commitments
nav-incidents = Incidents
nav-statements = Statements
nav-parties = Who has done what
nav-support = Support
nav-due = Due soon
nav-record = Record
nav-public = Public face

## Seats
role-protected-state = Protected state
role-member = Members
role-partner = Partners
role-observer = Observers

## Months
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Strengths, statuses, kinds
strength-guarantee = guarantee
strength-political-commitment = political commitment
strength-assurance = assurance
status-proposed = proposed
status-signed = signed
status-ratified = ratified
status-dormant = dormant
status-in-force = in force
status-lapsed = lapsed
status-terminated = terminated
status-withdrawn = withdrawn
obligation-open = open
obligation-overdue = overdue
obligation-fulfilled = fulfilled
obligation-fulfilled-late = fulfilled late
obligation-waived = waived
obligation-disputed = disputed
obligation-cancelled = cancelled
response-consult = consult
response-deliver = deliver
response-deploy = deploy
response-sanction = sanction
response-share-intelligence = share intelligence
response-diplomatic = diplomatic action
discretion-automatic = automatic
discretion-as-deemed-necessary = as it deems necessary
discretion-intends-to = intends to
incident-reported = reported
incident-provisionally-triggered = provisionally triggered
incident-verified = verified
incident-rejected = rejected
incident-merged = merged
kind-armed-attack = armed attack
kind-threat-of-attack = threat of attack
kind-ceasefire-breach = ceasefire breach
kind-airspace-violation = airspace violation
kind-drone-incursion = drone incursion
kind-cyber-attack = cyber attack
kind-hybrid-attack = hybrid attack
category-military-capabilities = military capabilities
category-intelligence = intelligence
category-logistical-support = logistical support
category-diplomatic-initiatives = diplomatic initiatives
category-sanctions = sanctions
category-financial = financial
category-training = training
category-defence-industrial = defence industry
category-force-land = force on land
category-force-sea = force at sea
category-force-air = force in the air
category-consultation = consultation

## Charts and tables
chart-table = The same numbers as a table
chart-not-covered = not covered
csv-download = Download this table as CSV
heatmap-title = What each guarantor committed
heatmap-desc = One row per guarantor, one column per category; the colour is the strongest commitment still counting, the number how many commitments there are.
heatmap-axes = Guarantors (rows) × categories (columns)
heatmap-caption = Strongest commitment per guarantor and category (number of commitments)
timeline-title = Coverage year by year
timeline-desc = One row per category; a bar for each year it is covered, coloured by the strongest cover in force on that anniversary; gaps are empty; assurances without a deadline are outlined dashed.
timeline-axis = Years from today (each anniversary)
timeline-caption = Strongest cover in force per category on each anniversary
coverage-gaps = No guarantee in force today for: { $categories }
col-category = Category
col-guarantor = Guarantor
col-marking = Marking
col-obligation = Obligation
col-kind = Owed
col-deadline = Deadline
col-status = Status
col-recorded = Recorded
col-actor = By
col-event = Event

## Dashboard
dashboard-title = Dashboard
dashboard-seats = Who sits where
dashboard-obligations = Open obligations
dashboard-recent = Latest entries of your log
dashboard-whole-record = The whole record
obligations-caption = Open obligations, overdue first, then the soonest due
obligations-none = No obligation is open.
entries-caption = Entries of the log you may read, newest first
span-days = { $n ->
    [one] one day
   *[other] { $shown } days
}
span-hours = { $time }
deadline-left = { $span } left
deadline-late = { $span } late
deadline-awaiting-request = when requested
deadline-none = no deadline

## Columns
col-approvals = Approvals
col-commitment = Commitment
col-confirmations = Confirmations
col-hash = Hash
col-incident = Incident
col-meeting = Given at
col-occurred = Occurred
col-parties = Aggressor → target
col-party = Party
col-role = Role
col-runs-until = Runs until
col-statement = Statement
col-strength = Strength
col-version = Version
col-when = When

## Forms
form-required = Required.
form-choice-invalid = “{ $text }” is not one of the choices.
form-day-invalid = “{ $text }” is not a day: expected YYYY-MM-DD.
form-party-invalid = “{ $text }” is not a party code: expected three capital letters such as FRA or an organisation such as EU.
form-time-invalid = “{ $text }” is not a time: expected YYYY-MM-DDTHH:MM (UTC), such as 2026-11-20T03:40.
form-report-required = Say what was done, or why.
filters-label = Filters
filter-any = any
filter-apply = Show
filter-on = As the world stood on

## Commitments
commitments-title = Commitments
commitments-caption = The commitments you may read, with their status and strength
commitments-count = { $n ->
    [one] One commitment.
   *[other] { $shown } commitments.
}
commitments-back = All commitments
commitment-protected = Protected
commitment-instrument = Instrument
commitment-unilateral = none (a unilateral pledge)
commitment-trigger = Set off by
commitment-discretion = Discretion
commitment-responses = Responses and their clocks
commitment-from = First day
commitment-until = Last day
commitment-withdrawn = Withdrawn because
commitment-support = Support
commitment-support-caption = Committed, allocated and delivered
commitment-no-amount = no stated amount
commitment-history = History in your log
support-committed = Committed
support-allocated = Allocated
support-delivered = Delivered

## Incidents
incidents-title = Incidents
incidents-caption = The incidents you may read
incidents-none = No incident has been reported.
incident-report-title = Report an incident
incident-report-submit = Report
incident-field-aggressor = Aggressor (party code)
incident-field-target = Target (party code)
incident-field-kind = What happened
incident-field-at = When it happened (UTC)
incident-field-at-help = YYYY-MM-DDTHH:MM, in UTC.
incident-field-location = Where
incident-field-description = Description
incident-field-classification = Classification
incident-field-releasable = Releasable only to
incident-field-releasable-help = Party codes separated by commas; empty: the whole coalition.
incident-reported-by = Reported by
incident-verification = Verification
incident-rule = Verified by { $rule }.
incident-verified-note = Verified: the rule is met.
incident-need-monitor = the monitoring mechanism has confirmed
incident-need-secretariat = the secretariat has confirmed
incident-need-members = members confirming with the secretariat (needed: { $n })
incident-confirmations = Confirmations so far
incident-confirm = Confirm this incident
incident-obligations = Obligations it opened
incident-no-obligations = No obligation you may read has been opened.
settle-title = Record what was done
settle-label = Settle { $obligation }
settle-fulfil = fulfilled
settle-waive = waived
settle-dispute = disputed
settle-report = Report, note or reason
settle-submit = Record

## Statements
statements-title = Statements
statements-caption = Statements, their status and the approvals of their latest version
statement-draft = draft
statement-adopted = adopted { $when }
statement-rule = Adoption rule
statement-versions = Versions
statement-text = Text of version { $version }
statement-unverified = This version's paragraphs do not match its content hash.
statement-approvals = Approvals
statement-progress = Approvals of the latest version
statement-missing = Still missing: { $parties }
statement-standings-caption = Where each required signatory stands
statement-diff = Compare two versions
rule-unanimity = every required signatory approves the latest version
rule-quorum = at least { $k } required signatories approve the latest version
rule-silence = adopted at { $deadline } unless a required signatory objects before
standing-approved = approved on { $when }
standing-approved-short = approved
standing-older = approved version { $version } only
standing-objected = objected
standing-pending = not yet approved
standing-silent = silent
approve-title = Approve version { $version }
approve-bytes = The exact 32 bytes to sign (hex):
approve-command = Sign them on your own machine with your key file, which never leaves it:
approve-signature = Signature (as coalition key sign prints it)
approve-signature-invalid = Expected the base64 of 64 bytes, as coalition key sign prints it.
approve-meeting = Given at
approve-no-meeting = no meeting
approve-submit = Approve
diff-from = From
diff-to = To
diff-compare = Compare
diff-caption = Paragraph by paragraph, { $versions }
diff-paragraph = Paragraph
diff-added = added:
diff-removed = removed:

## Record
record-title = Record
record-intro = The log as you may read it: the entries you may read, numbered and chained among themselves.
record-checkpoint = Latest checkpoint
public-checkpoint-size-mine = Your log holds { $size } entries; its checkpoint, signed with the coalition's log key:
record-verify = Verify it offline
record-bundle = Download your log as a bundle
record-verify-api = Or fetch it with your token:
record-entries = Entries
record-proof = Inclusion proof of entry { $seq }
record-prove = Show this entry's inclusion proof
proof-leaf = Leaf hash
proof-index = Leaf / tree size
proof-root = Root
proof-path = Proof

## Who has done what, due soon
parties-title = Who has done what
parties-intro = For each instrument, statement and incident, where each party stands and since when.
parties-instruments = Instruments
parties-statements = Statements
parties-incidents = Incidents
parties-none = Nothing to show.
consent-unsigned = not signed
consent-signed = signed
consent-ratified = ratified
consent-complete = signed (no ratification needed)
consent-rejected = rejected by its parliament
due-title = Due soon
due-intro = What { $party } must do, soonest first.
due-none = Nothing is due.
due-approve = Approve “{ $title }”
due-approval = no deadline
due-silence = silence breaks at { $deadline }

support-title = Support by donor
support-intro = Committed, allocated, delivered and outstanding, per donor, category and unit, under the commitments you may read.
support-csv = Download as CSV
support-live = Live commitments
support-ended = Lapsed, terminated or withdrawn (no longer counted)
support-donor = Donor
support-category = Category
support-unit = Unit
support-committed = Committed
support-allocated = Allocated
support-delivered = Delivered
support-outstanding = Outstanding
support-commitments = Commitments
