"""Seed 003 as workbook input grids: plain data, no engine code.

Transcribed by hand from ``seeds/003`` ("Children's Services Ofsted Improvement
Board Priority Indicators", a council report for November 2017). These are its
detailed priority indicator tables (Workforce to Quality Assurance), laid out as
officers would paste them into a dashboard template:

* ``SHEETS["Settings"]``: organisation, reporting period (Nov-17), year start.
* ``SHEETS["Indicators"]``: one row per indicator in the detailed tables, with
  refs, titles, polarity, 2017-18 target, target owner and RAG methodology
  exactly as printed. Headers use the seed's own wording ("Indicator Number",
  "Indicator Title", "2017-18 Target", "Target Owner"), which the workbook
  contract accepts as synonyms. Percentage targets are fractions (24% -> 0.24);
  text targets ("<10% of Cohort", "NA") are kept as printed.
* ``SHEETS["Data"]``: a WIDE paste (Ref, then one column per month Apr-17 to
  Nov-17). Percentages are fractions with the digits printed (71.3% -> 0.713),
  counts are ints, blank cells are None, and text printed in a month cell is
  kept as text ("79% (6m+)", "Data - In progress and will be ...").
* ``SHEETS["Commentary"]``: the tables' "Improvement Activity" / "Next Steps"
  text for Nov-17, attached to the indicator(s) it is about (``<p>`` tags
  dropped, otherwise verbatim).

``SEED_RAG`` is the RAG the report prints in its RAG column for Nov-17 (None
where that cell is blank; "Yellow" where the report prints it, a colour its own
methodologies do not have).

The seed's mistakes are kept on purpose, because the engine must catch them (see
PRODUCT.md, "What the seeds get wrong"): W 1's gap (17 / 18.1) and its "Yellow";
FD 8's and CP 10's overlapping bands; QA 1 marked SIB with bigger-is-better bands;
CIN 4 and W1 d targets that their own bands do not rate Green; CL a rated with no
polarity; LAC 20 "Yellow".
"""

MONTHS = ["Apr-17", "May-17", "Jun-17", "Jul-17", "Aug-17", "Sep-17", "Oct-17", "Nov-17"]

_WORKFORCE = "Workforce"
_FRONT_DOOR = "Front Door"
_ASSESSMENT = "Assessment"
_CIN = "Children in Need of Help and Protection"
_LAC = "Looked After Children"
_FOSTERING = "Fostering and Adoption"
_CARE_LEAVERS = "Care Leavers"
_QA = "Quality Assurance"

_IN_PROGRESS = "Data - In progress and will be able to report on this from January 2018"

SHEETS: dict[str, list[list[object]]] = {
    "Settings": [
        ["Setting", "Value"],
        ["Organisation", "Seed 003 council"],
        ["Reporting period", "Nov-17"],
        ["Year start month", "April"],
    ],
    "Indicators": [
        [
            "Indicator Number",
            "Indicator Title",
            "Section",
            "Polarity",
            "Unit",
            "Decimals",
            "Measure",
            "2017-18 Target",
            "Target Owner",
            "RAG Methodology",
        ],
        # WORKFORCE
        [
            "P1",
            "Vacancy Rate",
            _WORKFORCE,
            "SIB",
            "%",
            0,
            "percentage",
            0.24,
            "PS",
            "24% or below Green 25%-34% Amber 35% and above Red",
        ],
        [
            "W 1",
            "Average Caseload per Social Worker",
            _WORKFORCE,
            "SIB",
            "number",
            0,
            "value",
            17,
            "PS",
            "17 or below Green 18.1-20 Amber 20.1 and above Red",
        ],
        [
            "W1 a",
            "Average Caseload per Social Worker - Assessment",
            _WORKFORCE,
            "SIB",
            "number",
            0,
            "value",
            20,
            "PS",
            "20 or below Green 20.1-22 Amber 22.1 and above Red",
        ],
        [
            "W1 b",
            "Average Caseload per Social Worker - Care Planning",
            _WORKFORCE,
            "SIB",
            "number",
            0,
            "value",
            16,
            "PS",
            "16 or below Green 16.1-18 Amber 18.1 and above Red",
        ],
        [
            "W1 c",
            "Average Caseload per Social Worker - Permanence",
            _WORKFORCE,
            "SIB",
            "number",
            0,
            "value",
            16,
            "PS",
            "16 or below Green 16.1-18 Amber 18.1 and above Red",
        ],
        [
            "W1 d",
            "Average Caseload per Social Worker - CWD",
            _WORKFORCE,
            "SIB",
            "number",
            0,
            "value",
            17,
            "PS",
            "16 or below Green 16.1-18 Amber 18.1 and above Red",
        ],
        [
            "W 2",
            "Average Caseload per Newly Qualified Social Worker (ASYE)",
            _WORKFORCE,
            "SIB",
            "number",
            0,
            "value",
            14,
            "PS",
            "14 or below Green 14.1-16 Amber 16.1 and above Red",
        ],
        # FRONT DOOR
        [
            "FD 3",
            (
                "Percentage of completed contacts received in the month which were actioned within "
                "1 working day"
            ),
            _FRONT_DOOR,
            "BIB",
            "%",
            0,
            "percentage",
            0.9,
            "IL",
            "90% or above Green 85%-89% Amber 84% and below Red",
        ],
        [
            "FD 8",
            "Percentage of re-referrals within 12 months",
            _FRONT_DOOR,
            "SIB",
            "%",
            0,
            "percentage",
            0.22,
            "IL",
            "22% or below Green 21% - 25% Amber 26% and above Red",
        ],
        # ASSESSMENT
        [
            "AMT 2",
            "Percentage of C&F assessments completed within 45 working days",
            _ASSESSMENT,
            "BIB",
            "%",
            1,
            "percentage",
            0.95,
            "MK",
            "95% or above Green 85%-94% Amber 84% and below Red",
        ],
        # CHILDREN IN NEED OF HELP AND PROTECTION
        [
            "CIN 4",
            "Percentage of CIN* for whom a visit has taken place within last 4 weeks",
            _CIN,
            "BIB",
            "%",
            0,
            "percentage",
            0.75,
            "MK",
            "98% or above Green 90%-97% Amber 89% and below Red",
        ],
        [
            "CIN 5",
            "Percentage of CIN* for who had review on time (excludes those allocated to CWD teams)",
            _CIN,
            "BIB",
            "%",
            0,
            "percentage",
            0.98,
            "MK",
            "98% or above Green 90%-97% Amber 89% and below Red",
        ],
        [
            "CP 5",
            (
                "Percentage of children for whom CPC was held in the month within 15 working days "
                "of the Strategy discussions"
            ),
            _CIN,
            "BIB",
            "%",
            0,
            "percentage",
            0.8,
            "TS",
            "80% or above Green 70%-79% Amber 69% and below Red",
        ],
        [
            "CP 13",
            (
                "Percentage of children subject to Child Protection Plan for whom a visit has "
                "taken place within last 4 weeks"
            ),
            _CIN,
            "BIB",
            "%",
            0,
            "percentage",
            0.98,
            "MK",
            "98% or above Green 90%-97% Amber 89% and below Red",
        ],
        [
            "CP 10",
            "Number of current Child Protection Plans lasting 2 years or more",
            _CIN,
            "SIB",
            "number",
            0,
            "value",
            "<10% of Cohort",
            "MK",
            "10% of cohort or below Green 10-15% Amber 16% and above Red",
        ],
        [
            "MC 1",
            "Number of missing episodes in the month",
            _CIN,
            None,
            "number",
            0,
            "value",
            None,
            "HD",
            None,
        ],
        [
            "MC 6",
            "Percentage Missing Episodes that result in a completed RHI",
            _CIN,
            "BIB",
            "%",
            0,
            "percentage",
            0.6,
            "HD",
            "60% or above Green 50%-59% Amber 49% and below Red",
        ],
        [
            "LE 2",
            "Percentage of cases concluded within 26 weeks of issue",
            _CIN,
            None,
            "%",
            1,
            "percentage",
            0.95,
            "MK",
            "95% or above Green 85%-94% Amber 84% and below Red",
        ],
        [
            "LE 3",
            "Number of cases in proceedings",
            _CIN,
            None,
            "number",
            0,
            "value",
            None,
            "MK",
            None,
        ],
        # LOOKED AFTER CHILDREN
        [
            "LAC 10",
            "Percentage of LAC for whom a visit has taken place within statutory timescales",
            _LAC,
            "BIB",
            "%",
            0,
            "percentage",
            0.98,
            "WT",
            "98% or above Green 90%-97% Amber 89% and below Red",
        ],
        [
            "LAC 11",
            "Percentage of LAC cases which were reviewed within required timescales",
            _LAC,
            "BIB",
            "%",
            0,
            "percentage",
            0.98,
            "WT",
            "98% or above Green 90%-97% Amber 89% and below Red",
        ],
        [
            "LAC 19 (12m)",
            (
                "Percentage of LAC that have been in care for 12+ months , that have had same "
                "social worker for last 12 months"
            ),
            _LAC,
            "BIB",
            "%",
            0,
            "percentage",
            0.6,
            "WT",
            "60% or above Green 55%-59% Amber 54% and below Red",
        ],
        [
            "LAC 20",
            (
                "Percentage of LAC under 16 in care for more than 2.5 years: in the same placement "
                "for 2+ years"
            ),
            _LAC,
            "BIB",
            "%",
            0,
            "percentage",
            0.75,
            "WT",
            "75% or above Green 65%-74% Amber 64% and below Red",
        ],
        # FOSTERING AND ADOPTION
        [
            "F 3",
            "Percentage of Annual Reviews of Foster Carers completed on time",
            _FOSTERING,
            "BIB",
            "%",
            0,
            "percentage",
            0.95,
            "WT",
            "95% or above Green 85%-94% Amber 84% and below Red",
        ],
        [
            "AD 7",
            (
                "Average time between a child entering care and moving in with the adoptive family "
                "(days)"
            ),
            _FOSTERING,
            "SIB",
            "days",
            0,
            "value",
            558,
            "HD",
            "558 or below Green 559 to 608 Amber 609 and above Red",
        ],
        # CARE LEAVERS
        [
            "CL a",
            "Care Leavers with an Up-to-date Pathway plan",
            _CARE_LEAVERS,
            None,
            "%",
            0,
            "percentage",
            0.98,
            "WT",
            "98% or above Green 90%-97% Amber 89% and below Red",
        ],
        [
            "CL 1",
            (
                "Number of Care Leavers in employment, education, or training (EET) on their 17th "
                "to 21st Birthday"
            ),
            _CARE_LEAVERS,
            None,
            "number",
            0,
            "value",
            "NA",
            "WT",
            None,
        ],
        [
            "CL 1a",
            "Percentage in employment, education, or training (EET) on their 17th to 21st Birthday",
            _CARE_LEAVERS,
            "BIB",
            "%",
            0,
            "percentage",
            0.6,
            "WT",
            "60% or above Green 50%-59% Amber 49% and below Red",
        ],
        [
            "CL 2",
            (
                "Number not in employment, education, or training (NEET) on their 17th to 21st "
                "Birthday"
            ),
            _CARE_LEAVERS,
            "SIB",
            "number",
            0,
            "value",
            "NA",
            "WT",
            None,
        ],
        [
            "CL 3",
            "Number of Care Leavers in suitable accommodation on their 17th to 21st Birthday",
            _CARE_LEAVERS,
            None,
            "number",
            0,
            "value",
            "NA",
            "WT",
            None,
        ],
        [
            "CL 3a",
            "Percentage in suitable accommodation on their 17th to 21st Birthday",
            _CARE_LEAVERS,
            "BIB",
            "%",
            0,
            "percentage",
            0.85,
            "WT",
            "85% or above Green 75%-84% Amber 74% and below Red",
        ],
        # QUALITY ASSURANCE
        [
            "QA 1",
            "Percentage of children's cases subject to Supervision within timescales",
            _QA,
            "SIB",
            "%",
            0,
            "percentage",
            0.9,
            "TS",
            "90% or above Green 80%-89% Amber 79% and below Red",
        ],
        [
            "QA 2",
            "Number of Cases Audited that are Good or Outstanding",
            _QA,
            None,
            "number",
            0,
            "value",
            None,
            "TS",
            None,
        ],
        [
            "QA 3",
            "Percentage of Cases Audited that are Good or Outstanding",
            _QA,
            None,
            "%",
            0,
            "percentage",
            0.5,
            "TS",
            "50% or above Green 40%-49% Amber 39% and below Red",
        ],
    ],
    "Data": [
        ["Ref"] + MONTHS,
        #  Ref            Apr-17  May-17  Jun-17  Jul-17  Aug-17  Sep-17  Oct-17  Nov-17
        ["P1", None, None, None, None, None, None, 0.43, 0.43],
        ["W 1", 16, 16, 17, 17, 17, 17, 17, 18],
        ["W1 a", 19, 18, 20, 25, 23, 28, 30, 28],
        ["W1 b", 17, 17, 19, 18, 18, 17, 18, 16],
        ["W1 c", 14, 14, 13, 14, 14, 14, 14, 13],
        ["W1 d", 18, 18, 18, 16, 16, 19, 20, 16],
        ["W 2", 18, 17, 19, 18, 21, 23, 23, 19],
        ["FD 3", 0.86, 0.86, 0.87, 0.86, 0.89, 0.92, 0.86, 0.82],
        ["FD 8", 0.21, 0.10, 0.28, 0.19, 0.24, 0.23, 0.18, 0.19],
        ["AMT 2", 0.713, 0.858, 0.901, 0.888, 0.858, 0.785, 0.677, 0.639],
        ["CIN 4", 0.70, 0.58, 0.67, 0.59, 0.49, 0.50, 0.62, 0.62],
        ["CIN 5", 0.79, 0.79, 0.79, 0.78, 0.76, 0.75, 0.69, 0.69],
        ["CP 5", 0.66, 0.91, 0.81, 0.74, 0.85, 0.50, 0.27, 0.32],
        ["CP 13", 0.77, 0.84, 0.83, 0.74, 0.72, 0.74, 0.85, 0.87],
        ["CP 10", 14, 16, 9, 9, 8, 5, 14, 14],
        ["MC 1", 149, 177, 218, 238, 151, 194, 212, 188],
        ["MC 6", 0.12, 0.12, 0.24, 0.18, 0.27, 0.38, 0.41, 0.42],
        ["LE 2", 0.375, 0.55, 0.375, 0.25, 0.50, 0.86, 0.55, 0.11],
        ["LE 3", None, None, 67, 80, 87, 98, 98, 109],
        ["LAC 10", 0.87, 0.90, 0.92, 0.83, 0.86, 0.90, 0.90, 0.90],
        ["LAC 11", 0.83, 0.70, 0.77, 0.75, 0.69, 0.65, 0.63, 0.62],
        [
            "LAC 19 (12m)",
            "79% (6m+)",
            "82% (6m+)",
            "78% (6m+)",
            "72% (6m+)",
            "71% (6m+)",
            "71% (6m+)",
            0.53,
            0.70,
        ],
        ["LAC 20", 0.70, 0.70, 0.71, 0.72, 0.70, 0.73, 0.74, 0.73],
        ["F 3", 0.68, 0.52, 0.60, 0.60, 0.53, 0.60, 0.73, 0.70],
        ["AD 7", 763, 0, 0, 0, 483, 435, 413, 460],
        ["CL a", None, None, None, None, None, 0.51, 0.65, 0.61],
        ["CL 1", 350, 354, 363, 374, 364, 358, 388, 389],
        ["CL 1a", 0.61, 0.64, 0.62, 0.62, 0.61, 0.59, 0.64, 0.64],
        ["CL 2", 243, 221, 223, 242, 238, 248, 219, 221],
        ["CL 3", 494, 486, 504, 505, 498, 489, 531, 527],
        ["CL 3a", 0.833, 0.845, 0.86, 0.837, 0.827, 0.806, 0.87, 0.86],
        ["QA 1", 0.52, 0.56, 0.57, 0.50, 0.45, 0.41, 0.45, 0.43],
        ["QA 2", _IN_PROGRESS, None, None, None, None, None, None, None],
        ["QA 3", _IN_PROGRESS, None, None, None, None, None, None, None],
    ],
}

# --- Commentary (Nov-17). Text verbatim from the tables, <p> tags dropped. ---

_WORKFORCE_ACTIVITY = (
    "There has been no movement in the overall vacancy rate of 43%, although we continue to have "
    "internal variations with more substantive staff in the permanence service. November saw a "
    "slight improvement in caseloads within the assessment service, with the introduction of the "
    "sixth (Best Start) team, but this is being rapidly eroded by the accelerating increase in "
    "work volumes. We are starting to see the benefit of the additional staffing in care planning, "
    "where average caseloads have reduced, and the figures in permanence and CWD are satisfactory. "
    "There has been a substantial decline in ASYE caseloads as the 2017 cohort complete graduation."
)

_FD3_ACTIVITY = (
    "FD3 - All contacts are actioned within 1 working day. The change of percentage reflects those "
    "contacts not completed by the MASH where additional information or work is required before a "
    "final decision can be taken on the best way to progress."
)

_AMT2_ACTIVITY = (
    "Since our inspection in June, demand and workloads within the Assessment Service have risen "
    "markedly from an average of 35 new families identified as needing an assessment per week to "
    "54; this equates to a 54% increase in volume, resulting in higher caseloads which are "
    "impacting the ability of staff and managers to complete and sign off caseloads within "
    "timescales."
)
_AMT2_NEXT = (
    "An additional team (Unit 6) has been added to the Assessment Service duty rotation to provide "
    "the existing teams with an additional week between on-duty weeks to support more timely "
    "completion of assessments. Unfortunately, the increase demand is greater than the increased "
    "staffing and therefore a further business case has been agreed for additional staffing within "
    "the service. Recruitment has commenced in this regards with the hope to have the additional "
    "resource in place in the new calendar year."
)

_CIN4_ACTIVITY = (
    "CIN 4: Visits to children on CIN plans has been an area of focus in weekly performance "
    "clinics. This work alongside the additional staff within the Care Planning Service has seen "
    "some improvements in this area. This progress is slower than hoped which is due to the rising "
    "numbers of cases subject to Court and Child Protection plans which staff are prioritising."
)
_CIN5_ACTIVITY = (
    "CIN 5: The increased demand in Care Planning in respect to cases subject to Court proceedings "
    "and Child Protection Plans is having an adverse impact on performance in respect to CIN cases "
    "as staff are prioritising higher risk work. Increased staffing has been allocated within the "
    "Care Planning Service and it is anticipated that performance in this area will pick up as "
    "staff come into post."
)
# The report prints one Next Steps paragraph headed "CIN 4:" whose second sentence is about CIN
# reviews (CIN 5), with a stray "CIN 5:" label pushed into the RAG column. Split at the sentence
# boundary.
_CIN4_NEXT = (
    "CIN 4: Visits to all allocated children will continue to be an area of priority focus in "
    "weekly performance clinics."
)
_CIN5_NEXT = "CIN Reviews will be included in the weekly performance clinics held with the service."

_CP13_ACTIVITY = (
    "CP13: Visits to children on CP plans has been an area of focus this year and this work, "
    "coupled with increased staffing in Care Planning has resulted in improvements in this area."
)
_CP13_NEXT = (
    "CP13: Staff for the third additional team in Care Planning are beginning to come into post "
    "and it is hoped that these additional staff alongside the continued performance focus on "
    "visits will continue to support improvements in this area."
)

_MC6_ACTIVITY = (
    "There has been a significant amount of work from the missing hub in chasing up social workers "
    "to ask them to complete interviews and upload information onto CRS. This has resulted in a "
    "modest improvement in the completed RHI return rate. In addition the HoS has tasked the team "
    "with cleaning data to highlight and address any recording issues. This work is ongoing. The "
    "HoS has also met with the performance team to look at which indicators should be reported on "
    "to ensure the most accurate reflection of return rate."
)
_MC6_NEXT = (
    "The HoS is interviewing this week and next for a service leader for the missing/CSE team and "
    "will then be recruiting a further two RHI interviewers. There is a new missing process that "
    "has been agreed and will be implemented in the new year with guidance issued to staff. Most "
    "RHI interviews will then be completed and input by independent RHI interviewers. It has also "
    "been agreed that for LAC children placed outside of the borough (further than neighbouring "
    "boroughs) return interviews will be spot purchased from local providers. All of these steps "
    "should see a significant increase in return interviews offered and accepted. Once the "
    "completion rate improves there will then be a focus on completion within 72 hours."
)

_LE2_ACTIVITY = (
    "Performance in respect to the percentage of cases concluded each month within 26 weeks "
    "continues to fluctuate due to changes in the number of cases reaching conclusion on a month "
    "by month basis. There are a number of factors outside the Las control that can lead to cases "
    "going over 26 weeks, including cases within the LIFT and FDAC programmes and cases where "
    "potential kinship carers are put forward by the family late in proceedings. The average "
    "length of duration of proceedings is a more reliable figure and demonstrates that despite a "
    "sharp rise in the numbers of cases in proceedings, performance in this area continues to "
    "improve."
)
_LE2_NEXT = (
    "Performance continues to be monitored in monthly Legal Proceedings meetings and via the ELFJB "
    "reports"
)

_LAC11_ACTIVITY = (
    "LAC 11: Noting that the figures refer to LAC reviews which are recorded as complete. In "
    "reality, there are likely to be more young people who have had a LAC review in timescale but "
    "the recording has not yet been updated to illustrate that. The social work teams and IROs are "
    "working together to update the workflow processes for individual children to reach a position "
    "where the recording is an up to date reflection of the child's journey."
)

_F3_ACTIVITY = (
    "F3: The percentage has taken a dip after a steady incline over the last few months. A new "
    "form has been devised with staff consultation and is proving popular among the staff team. "
    "Managers have taken note of the slight decline and are managing individual cases and staff. "
    "Of the reviews that are not in timescale, there is some evidence that more are closer to "
    "timescale than previously."
)

_CLA_ACTIVITY = (
    "The Leaving Care Team have a plan of action with individual staff members and individual "
    "young people's cases, to progress to a position where more of the Pathway Plans are reviewed "
    "inside 6 months. The Service Leader reports progress to weekly meetings with the HoS and is "
    "holding individual managers to account."
)

SHEETS["Commentary"] = [
    ["Ref", "Period", "Comment", "Improvement activity", "Next steps"],
    # Workforce: one text for the whole table, attached to each rated indicator.
    ["P1", "Nov-17", None, _WORKFORCE_ACTIVITY, None],
    ["W 1", "Nov-17", None, _WORKFORCE_ACTIVITY, None],
    ["W1 a", "Nov-17", None, _WORKFORCE_ACTIVITY, None],
    ["W1 b", "Nov-17", None, _WORKFORCE_ACTIVITY, None],
    ["W1 c", "Nov-17", None, _WORKFORCE_ACTIVITY, None],
    ["W1 d", "Nov-17", None, _WORKFORCE_ACTIVITY, None],
    ["W 2", "Nov-17", None, _WORKFORCE_ACTIVITY, None],
    # Front Door: about FD3 only (FD 8 has none).
    ["FD 3", "Nov-17", None, _FD3_ACTIVITY, None],
    ["AMT 2", "Nov-17", None, _AMT2_ACTIVITY, _AMT2_NEXT],
    ["CIN 4", "Nov-17", None, _CIN4_ACTIVITY, _CIN4_NEXT],
    ["CIN 5", "Nov-17", None, _CIN5_ACTIVITY, _CIN5_NEXT],
    # CP 5 (Red) has no commentary in the report; CP 10's table has none.
    ["CP 13", "Nov-17", None, _CP13_ACTIVITY, _CP13_NEXT],
    # Missing: the text is about the RHI completion rate (MC 6); MC 1 is context only.
    ["MC 6", "Nov-17", None, _MC6_ACTIVITY, _MC6_NEXT],
    # Legal: the text is about cases concluded within 26 weeks (LE 2); LE 3 is context only.
    ["LE 2", "Nov-17", None, _LE2_ACTIVITY, _LE2_NEXT],
    ["LAC 11", "Nov-17", None, _LAC11_ACTIVITY, None],
    ["F 3", "Nov-17", None, _F3_ACTIVITY, None],
    ["CL a", "Nov-17", None, _CLA_ACTIVITY, None],
]

SEED_RAG: dict[str, str | None] = {
    "P1": "Red",
    "W 1": "Yellow",
    "W1 a": "Red",
    "W1 b": "Green",
    "W1 c": "Green",
    "W1 d": "Green",
    "W 2": "Red",
    "FD 3": "Red",
    "FD 8": "Green",
    "AMT 2": "Red",
    "CIN 4": "Red",
    "CIN 5": "Red",
    "CP 5": "Red",
    "CP 13": "Red",
    "CP 10": "Green",
    "MC 1": None,
    "MC 6": None,
    "LE 2": None,
    "LE 3": None,
    "LAC 10": "Amber",
    "LAC 11": "Red",
    "LAC 19 (12m)": "Green",
    "LAC 20": "Yellow",
    "F 3": "Red",
    "AD 7": "Green",
    "CL a": "Red",
    "CL 1": None,
    "CL 1a": "Green",
    "CL 2": None,
    "CL 3": None,
    "CL 3a": "Green",
    "QA 1": "Red",
    "QA 2": None,
    "QA 3": None,
}
