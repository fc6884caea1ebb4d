"""What kind of answer a question asks for: "how much" wants money, "when" wants a date.

ANSWER_TYPES are requirements: a passage without what the question's kind of answer needs is no answer, however
close its topic ("How much will it cost?" is not answered by "the service will be re-commissioned"). Each type
carries an example question, a passage that answers it and one on the same topic that does not; the tests check
every rule against its own examples. ANSWER_SHAPES are softer: what such an answer usually contains, a bonus
when choosing between passages, never a requirement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import MONTHS, NUMBER_WORDS

# How a question may open before its question word: "ok and who's in charge of that?", "so when…".
OPENING = r"^\s*(?:(?:and|so|ok|okay|right|but|then|oh|well)\b[\s,]*)*"
_MONTHS = "|".join(MONTHS)
# A month as plans write it, in full or cut short ("Sept.", "Jan")
MONTH = rf"(?:{_MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
# a figure gone up or down ("how much has the waiting list grown?"); not "to improve" or "will it change"
_CHANGED = r"\b(?:(?:go|gone|went) (?:up|down)|rise|rose|risen|increased|fallen|fell|dropped|grown|grew)\b"
# "every" says how often only with a period ("every six weeks", "every term"); "every child" is no frequency
_EVERY = (r"every (?:(?:other|two|three|four|five|six|eight|ten|twelve|few|couple of|\d+(?:\s*[-–]\s*\d+)?) )?"
          r"(?:day|week|fortnight|month|term|half[ -]term|quarter|year|academic year|weekend|morning|afternoon|evening|"
          r"night|spring|summer|autumn|winter|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|school holiday)s?\b")


def _named_part(held: str) -> str:
    """The name in "at Larkfield House": what must be new to the question."""
    return re.sub(r"^at\s+", "", held, flags=re.IGNORECASE).lower()


# a count as a figure or in words ("within two years", "18 weeks")
_COUNT = r"(?:\d+|" + "|".join(NUMBER_WORDS) + r"|eighteen|twenty|twenty[ -]\w+)(?:\s+(?:working|school|calendar|clear))?"


def _i(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


ASKS_WHEN = _i(OPENING + r"when(?:'s|’s|\s+(?:is|are|was|were|will|would|does|do|did|can|should|has|have"
               r"|might|could))\b|\bby when\b|\bwhat (?:year|date)\b|\bhow soon\b")
ASKS_WHO = _i(OPENING + r"who\b|\bwho (?:leads|is leading|is responsible|runs)\b")
ASKS_HOW_OFTEN = _i(r"\bhow often\b|\bhow frequently\b")
ASKS_STATUS = _i(r"\bstatus\b|\bprogress\b|\bon track\b|\bhow far\b|\b(?:is|has) (?:it|that|this) (?:been )?"
                 r"(?:done|finished|completed|started)\b")


# "the Children and Families Act 2014", "the SEND Code of Practice 2015": the year names a law, it dates nothing
# ("the Local Needs Survey 2025" likewise names a document; a range after it, "Survey 2024-2026", says when)
_LAW_YEAR = re.compile(r"\b((?:Act|Acts|Regulations|Code of Practice|Order|Bill|Directive|Assessment|Survey|Census)),?"
                       r"\s+(?:19|20)\d{2}\b(?!\s*(?:-|–|/|to)\s*\d)")


def without_law_years(text: str) -> str:
    """The text with the year in a law's name left out, so "when will it be published?" is not answered by it."""
    return _LAW_YEAR.sub(r"\1", text)


# "where is the overspend heading?" asks which way a figure goes, not for a place ("where is it going to be?" does)
_ASKS_WHERE = (OPENING + r"where(?: exactly| precisely)?(?:'s|’s| is| are| will)\b"
               r"(?!\s+(?:[\w’'-]+ ){1,4}?(?:heading\b|going\b(?!\s+to\b)))")
# what is said to people, rather than a thing that stands somewhere
_TELLING = r"\b(?:advertis|promot|publicis|publish|tell|told|shar|find out|look|read|announc)"
# where a thing stands or a document is; where what is said to people goes
_SITE = r"located|location|based (?:at|in)|sites?|premises|venue|published|available (?:on|at)"
_CHANNEL = r"via|websites?|newsletters?|social media|leaflets?"


@dataclass(frozen=True)
class AnswerType:
    asks: re.Pattern[str]   # a question of this kind
    holds: re.Pattern[str]  # what its evidence must contain
    question: str           # examples, checked by tests/test_answerkinds.py
    answer: str
    non_answer: str
    exact: bool = False     # what it holds is the answer itself (a phone number), not only a sign of one
    new: bool = False       # what it holds must not be the question's own words: "Where is Larkfield House?" is
                            # not answered by "breaks at Larkfield House"

    def held_by(self, question: str, text: str) -> bool:
        asked = question.lower()
        return any(not (self.new and _named_part(found.group(0)) in asked) for found in self.holds.finditer(text))


ANSWER_TYPES = (
    # "Do they pool money with the NHS?" asks whether, not how much. "How much has the waiting list grown?" asks by how
    # much a figure changed, not for money.
    AnswerType(_i(rf"\bhow much\b(?![^?.!]*{_CHANGED})|\bcost\b|\bbudget\b|\bspend|\bwhat (?:money|funding)\b"),
               _i(r"£|\bcosts?\b"),
               "How much will the new assessment hub cost?", "the hub will cost £400,000 to set up",
               "Undertake a review of the assessment hub"),
    AnswerType(_i(rf"\bhow much\b[^?.!]*{_CHANGED}"), re.compile(r"\d"),
               "How much did the number of EHC plans rise by last year?", "it rose from 2,100 to 2,450",
               "the number of EHC plans continues to rise"),
    # A budget or a spend is an amount: "the plan does not constitute additional costs" says what the plan will
    # not cost, not what is spent on a service.
    AnswerType(_i(r"\bbudget\b|\bspend|\bspent\b|\ballocat|\bwhat (?:money|funding)\b"),
               _i(r"£|\d\s?(?:m|k|bn|million|billion|thousand)\b"),
               "What is the annual budget for short breaks?", "a budget of £2.1m for short breaks",
               "The contents of the report do not constitute additional revenue costs"),
    # "How long is the wait?" wants a duration; "what is planned to cut waits?" does not.
    AnswerType(_i(r"\bhow long\b[^?]*\bwait|\bwait(?:ing)?[ -]times?\b"), _i(rf"\b{_COUNT}\s*(?:weeks?|months?|days?)\b"),
               "How long is the wait for an autism assessment?", "the wait is currently 18 months",
               "Reduction in waiting times for needs to be assessed"),
    AnswerType(_i(r"\bhow long\b"),
               _i(rf"\b{_COUNT}\s*(?:weeks?|months?|years?|days?)|\bdecades?\b|\bsince\b|\b(?:19|20)\d{{2}}\s*(?:-|–|to)\s*\d{{2}}"),
               "How long will the plan run?", "the plan covers 2023-2026", "The plan was agreed in 2023"),
    # "When will the SENDIASS service start?" is not answered by the row that lists the service without a date.
    # "When my son turns 16, who…?" is a condition, not a question about a date.
    AnswerType(ASKS_WHEN,
               _i(rf"\b(?:19|20)\d{{2}}\b|\b(?:{_MONTHS}|ongoing|spring|summer|autumn|winter|annual(?:ly)?|quarterly|"
                  r"monthly|weekly|yearly|termly|each year|" + _EVERY + r"|already|now|since|in place|underway|"
                  r"immediately|next|this year|by the end|following|after|once)\b|\b" + _COUNT + r"\s*(?:weeks?|months?|years?|days?)\b"),
               "When will the new SENDIASS service start?", "the new SENDIASS service will start in April 2024",
               "Establish a new SENDIASS service which will improve the SENDIASS offer"),
    # "When is the next carers' lunch?" wants a date: how often they happen ("monthly lunches") is no date.
    AnswerType(_i(OPENING + r"when(?:'s|’s| is| are| will)? (?:be )?(?:the|its|their) next\b"),
               _i(rf"\b(?:19|20)\d{{2}}\b|\b(?:{_MONTHS})\b|\b{MONTH}\s+\d|\b{_COUNT}\s*(?:weeks?|months?|days?)\b"
                  r"|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:tomorrow|next week|next month)\b"),
               "When is the next carers' lunch?", "the next lunch is on 4 March",
               "the forum runs monthly lunches for carers"),
    AnswerType(ASKS_HOW_OFTEN,
               _i(r"\bannual(?:ly)?\b|\bquarterly\b|\bmonthly\b|\bbi-?monthly\b|\bweekly\b|\bfortnight|\bdaily\b|"
                  r"\byearly\b|\btermly\b|\beach (?:year|month|week|term|quarter)\b|\b" + _EVERY + r"\b|\bsix[ -]monthly\b|"
                  r"\bregular(?:ly)?\b|\btimes? a (?:year|month|week)\b|\bonce\b|\btwice\b"),
               "How often does the NHSE regional group meet?", "the group meets quarterly",
               "the NHSE regional group brings partners together"),
    AnswerType(_i(r"\bpercentage\b|\bwhat share\b|\bproportion\b"), re.compile(r"%"),
               "What percentage of parents said the annual review went well?", "baseline 61% in 2020",
               "more parents will say the annual review went well"),
    AnswerType(_i(r"\bhow many\b"), _i(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b"),
               "How many recommendations did the assessment make?", "it identified 8 key recommendations",
               "it identified key recommendations"),
    # "What's the web address of the Local Offer?"; not "what is changing about the website?"
    AnswerType(_i(r"\bweb(?:site)? ?address\b|\burl\b|\bweb ?link\b|\blink (?:for|to) (?:the|their|its) (?:website|web ?page)\b"),
               _i(r"\bwww\.|https?://|\b[\w-]+\.(?:gov|org|nhs|co)\.uk\b"),
               "What's the web address for the Local Offer?", "see www.northshire.gov.uk/localoffer",
               "Continue to strengthen the SEND Local Offer website", exact=True),
    # "Will there be a phone line for parents?" asks whether, not for the number
    AnswerType(_i(r"\bphone\b|\btelephone\b|\bwhat number\b|\bnumber (?:do|should|can|would) (?:i|we|you) (?:ring|call)\b"),
               re.compile(r"\d{3,5} ?\d{3} ?\d{3,4}"),
               "What number do I ring for SENDIASS?", "Tel: 0151 934 2068", "contact SENDIASS for advice", exact=True),
    # "What hours is the helpline open?" wants times of day, not the service's description.
    AnswerType(_i(r"\be-?mail\b"), re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
               "What's the email address for the parent carer forum?", "email forum@example.org.uk",
               "the parent carer forum will be kept informed by email", exact=True),
    AnswerType(_i(r"\brating\b|\brated\b|\bgrad(?:e[ds]?|ing)\b|\bjudge(?:d|ment)\b"),
               _i(r"\brat(?:e|es|ed|ing)\b|\bgrade\b|outstanding|inadequate|requires improvement|\bRAG\b|\b(?:red|amber|green)\b"),
               "What grade did the inspection give?", "the service was rated good",
               "Respond to the recommendations in the inspection"),
    AnswerType(_i(r"\bwho chairs\b|\bchair(?:s|ed)? (?:by|of)\b|\bwho is (?:the )?chair\b"), _i(r"\bchair"),
               "Who chairs the SEND Partnership Board?", "the Board is chaired by the Director of Education",
               "the SEND Partnership Board oversees the plan"),
    # "What did the audit find?" is not answered by "a comprehensive audit of the previous strategy", nor by
    # "build upon the findings of the survey", which names the findings without saying them.
    AnswerType(_i(r"\bwhat (?:(?:did|does|has|have) )?[\w’' -]{2,60}? (?:find|found|recommend(?:ed)?|conclude(?:d)?|"
                  r"show(?:ed)?|identif(?:y|ied)|highlight(?:ed)?)\b"),
               _i(r"\bfound\b|\bfindings?\b(?! of\b)|\brecommend|\bconclu|\bshow(?:ed|s|n)\b|\bidentifie[ds]\b"
                  r"|\bhighlight(?:s|ed)\b|\breveal"),
               "What did the audit of the last strategy find?", "the audit found that waiting times had risen",
               "A comprehensive audit of the previous Strategy which ran from 2020 - 2023."),
    # "Which academies are getting a sensory room?" wants schools by name, not how many rooms there will be
    AnswerType(_i(r"\bwhich (?:(?:special|mainstream|primary|secondary) )?(?:schools|academies|colleges)\b"),
               re.compile(r"\b(?!(?:The|A|An|Our|This|New|Special|Every|Each|Any|All)\b)[A-Z][\w’'-]+ "
                          r"(?:(?:[A-Z][\w’'-]+|and) ){0,3}?(?:School|Academy|College|Primary|Infants?|Juniors?)\b"),
               "Which schools are getting a sensory room?", "rooms will open at Larkfield Primary School and Upton Academy",
               "ten mainstream schools will each get a sensory room"),
    AnswerType(_i(r"\bhow (?:do|can) i apply\b"), _i(r"\bappl(?:y|ication)"),
               "How do I apply for short breaks?", "families can apply through the Local Offer",
               "short breaks give families a rest"),
    # "Where are the family hubs?" wants a place (or where a document is), not a passage about the hubs' aims.
    AnswerType(_i(rf"{_ASKS_WHERE}(?![^?]*{_TELLING})"),
               _i(rf"\b(?:{_SITE}|postcode|hospital|appendix|attached)\b|\bat (?-i:[A-Z][a-z]+ [A-Z][a-z]+)"),  # "at Ruislip Gardens"
               "Where is the action plan?", "the action plan is attached as Appendix 1",
               "the action plan sets out what partners will do", new=True),
    # "Where will they advertise it?" wants the channels it goes through (a website, a newsletter) or a place.
    AnswerType(_i(rf"{_ASKS_WHERE}(?=[^?]*{_TELLING})"), _i(rf"\b(?:{_SITE}|{_CHANNEL})\b"),
               "Where will they advertise the new holiday clubs?",
               "the clubs will be promoted via the parent carer forum's newsletter",
               "the clubs will be open to all children with SEND", new=True),
    # "Will my daughter qualify for the pilot?" needs the plan's criteria, not the row that names the pilot.
    AnswerType(_i(r"\b(?:qualify|qualifies|eligible|eligibility|entitled|entitlement)\b"),
               _i(r"\beligib|\bcriteria\b|\bqualif|\bentitle|\bthreshold|\bopen to\b"),
               "Will my daughter qualify for the joint packages of care pilot?",
               "the pilot is open to children who meet the continuing care criteria",
               "Oversight of the joint packages of care pilot"),
    # "Which company holds the mediation contract?" wants the provider, not the council that commissions it.
    AnswerType(_i(r"\bwhich (?:company|companies|provider|charity|charities|firm|agency)\b|\bwhich organisation (?:\w+ ){0,7}?"
                  r"(?:delivers?|provides?|holds?|runs?)\b|\bwho (?:holds|has|won|has won|was awarded|got) the contract\b"),
               re.compile(r"\bLead\b|\b(?i:led by|awarded to|contract with)\b|\b(?i:provided|delivered|run|managed|hosted)\b"
                          r"[\w ,]{0,40}?\bby\b|\b[A-Z][\w&’']*(?: [A-Z][\w&’']*)* (?:provides?|delivers?|runs?|leads?|manages?|hosts?)\b"),
               "Which organisation delivers the mediation service?", "the mediation service is delivered by Global Mediation",
               "LCC commissions the mediation contract on behalf of the region"),
    # "What's the name of the designated clinical officer?": a person's name, which the plans rarely give.
    # "Who is the cabinet member for education?" likewise: the role's title alone does not answer it.
    AnswerType(_i(r"\bwho (?:has|have|did|was|were) [\w’' ]{0,40}?(?:appointed|recruited|hired|employed)\b|"
                  r"\bname of (?:the |their |its |[\w’']+'s )?[\w ]*(?:officer|lead|director|manager|chair|person|"
                  r"co-?ordinator|head)\b|" + OPENING + r"who(?:'s|’s| is| will be|(?:'s|’s| is) going to be)\s+(?:the\s+|[\w’']+(?:'s|’s)\s+)?(?:[\w-]+\s+){0,3}?"
                  r"(?:member|director|officer|chair|manager|councillor|minister|head|executive|leader|mayor)\b"),
               re.compile(r"\b(?:Officer|Lead|Director|Manager|Chair|Head)\s*:\s*[A-Z][a-z]+ [A-Z][a-z]+"
                          r"|\b(?:Councillor|Cllr)\.? [A-Z]"),
               "Who is the contact officer for the report?", "Contact Officer: Eleanor Moulton",
               "the Executive Director will report to Lead Cabinet Members"),
)


def holds_exact_answer(question: str, text: str) -> bool:
    """Whether the text holds the very thing asked for ("How do I phone her?": "Tel: 0151 934 2068")."""
    return any(kind.exact and kind.asks.search(question) and kind.held_by(question, text) for kind in ANSWER_TYPES)


def lacks_answer_type(question: str, text: str) -> bool:
    """Whether the question is of a kind whose answer the text does not contain."""
    text = without_law_years(text)
    return any(kind.asks.search(question) and not kind.held_by(question, text) for kind in ANSWER_TYPES)


ANSWER_SHAPES = (
    (_i(OPENING + r"who\b|\bwhich (?:organisation|body|team|board|group)\b"),
     re.compile(r"\b(?:LA|ICB|NHS|CCG|LCC|LPFT|Council|Board|Team|Group|Forum|Trust|Healthwatch|Director|Officer)\b"
                r"|\bled by\b|\bchair|\bresponsib|\bfund(?:s|ed)?\b|\bcommission(?:s|ed)\b")),
    (_i(OPENING + r"when\b|\bby when\b|\bwhat year\b|\bsince when\b|\bhow long\b|\bdate\b|\bdeadline\b"
        r"|\btimescale"),
     re.compile(rf"\b(?:19|20)\d{{2}}\b|\b(?:{_MONTHS}|Ongoing)\b")),
    (_i(r"\bphone\b|\bring\b|\bcall\b|\bcontact\b|\be-?mail\b"), _i(r"\bTel\b|\d{3,5} ?\d{3} ?\d{3,4}|@\w")),
    (_i(OPENING + r"where\b"), _i(r"\b(?:located|location|based (?:at|in)|site|premises|venue|address|postcode)\b")),
    (_i(OPENING + rf"where\b(?=[^?]*{_TELLING})"), _i(rf"\b(?:{_CHANNEL})\b")),
    (_i(r"\bhow often\b|\bfrequen"),
     _i(r"\bannual|\bquarterly|\bmonthly|\bbi-monthly|\bweekly|\bfortnight|\beach year|\b" + _EVERY + r"|\bregular")),
    (_i(r"\bsince when\b|\bhow long (?:has|have)\b"), re.compile(rf"\bsince (?:\d|{_MONTHS})|\bfor (?:more|over) than\b")),
    (_i(r"\b(?:said|say|saying|told|views?|feedback|complain\w*)\b"), re.compile(r"\bYou Said\b|[“\"][A-Z]")),
    (_i(r"\bcalled\b|\bnamed?\b"), re.compile(r"[“\"‘][A-Z][^”\"’]{3,}[”\"’]|\bcalled\b|\bnamed\b|\bknown as\b")),
    # "Is he too old for short breaks at 19?": the ages a service is for ("aged 0-25", "up to their 25th birthday")
    (_i(r"\btoo (?:old|young)\b|\bwhat ages?\b|\bhow old\b|\bage (?:limit|range)s?\b|\bages\b"),
     _i(r"\b\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\b|\bup to (?:the age of |their )?\d{1,2}(?:st|nd|rd|th)?\b|\baged? \d{1,2}\b")),
    (_i(r"\bhow many\b|\bnumber of\b|\bpercentage\b|\bbaseline\b|\bfigure\b"),
     _i(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b")),
)

# A question about what is going to happen is better answered by a plan than by how things are now.
FUTURE = (_i(r"\bgoing to\b|\bwill\b|\bplan(?:s|ned|ning)? to\b|\bchanging\b"), _i(r"\bwill\b|\bshall\b|\bgoing to\b|\bplan(?:s|ned)? to\b"))


def asks_for_shape(question: str) -> bool:
    return any(asks.search(question) for asks, _ in ANSWER_SHAPES)


def asks_the_same_kind(question: str, earlier: str) -> bool:
    """ "Who chairs the forum?" then "and who funds it?": both want a name, so the first answer is no answer to
    the second."""
    for asks, _ in ANSWER_SHAPES:
        word = _asking_word(asks, question)
        if word and word == _asking_word(asks, earlier):
            return True
    return False


def _asking_word(asks: re.Pattern[str], question: str) -> str:
    """The word that asks ("who" in "and who…", "percentage"): "how many?" then "what percentage?" ask anew."""
    found = asks.search(question)
    return found.group(0).split()[-1].lower() if found and found.group(0).split() else ""


def has_answer_shape(question: str, text: str) -> bool:
    """Whether a passage holds the kind of answer asked for (tense aside)."""
    text = without_law_years(text)
    return any(asks.search(question) and holds.search(text) for asks, holds in ANSWER_SHAPES)
