"""Everything the web app says in its own voice: headings, labels, hints and status messages.

Plain English for parents and carers as well as officers; the assistant's answers and refusals come
from `prompts/` through `Assistant.ask`, never from here.
"""

from __future__ import annotations

TITLE = "SEND Plans Assistant"
INTRO = ("Ask about the councils' SEND joint-commissioning plans. Every answer shows the exact words "
         "from the plan it comes from. It cannot advise about one child's situation.")

ALL_COUNCILS = "All councils"
EXAMPLE_QUESTIONS = (
    "Who is leading the short breaks work?",
    "Who leads the Refresh of the SEND JSNA in Lancashire?",
    "When is North East Lincolnshire looking at its short breaks?",
    "When did Sefton's Cabinet meet to look at the SEND joint commissioning plan?",
    "What does SENDIASS stand for?",
)

TAB_ASK = "Ask"
TAB_DOCUMENTS = "Documents"
TAB_EVALUATION = "Evaluation"

SKIP_TO_QUESTION = "Skip to the question box"
CHAT_LABEL = "Conversation"
CHAT_PLACEHOLDER = "Your questions and the answers, with their sources, appear here."
QUESTION_LABEL = "Your question"
QUESTION_PLACEHOLDER = "Type a question"
ASK_BUTTON = "Ask"
NEW_CONVERSATION = "New conversation"
COUNCIL_LABEL = "Search the plans of"
COUNCIL_INFO = "Choose one council, or all of them."
EXAMPLES_HEADING = "Example questions"
GLOSSARY_HEADING = "Acronyms the plans define"
GLOSSARY_EMPTY = "No acronyms are defined in the indexed plans."

SOURCES_HEADING = "Sources"
SOURCE_FOR = "Source for"
SOURCE_LINK = "Go to source"
SOURCE_PAGE = "Page {page}"
SOURCE_PARAGRAPH = "Paragraph {number}"
CITED_ROW = "Cited row:"
CONTEXT_TABLE = "The table this row comes from"
ASK_ANOTHER = "Ask another question"
SOURCE_SECTION = "Section"
SOURCE_NO_SECTION = "no section heading"
SHOW_IN_CONTEXT = "Show in context"
REFUSAL_HEADING = "The plans don't say — here is where to get help"
REFUSAL_HEADINGS = {  # by refusal kind; any other kind gets REFUSAL_HEADING
    "personal": "I can't answer about one child — here is where to get help",
    "other_language": "Please ask in English",
    "bad_input": "Please check your question",
}
DRAFT_HEADING = "Draft — checking against the plans…"
ANSWERED_BY_EXTRACTIVE = "Answered from the plans' own words"
ANSWERED_BY_LLM = "Written by {backend}, checked against the sources"
ANSWERED_BY_FALLBACK = "The model's answer could not be checked, so this quotes the plans"
BACKEND_NAMES = {"gguf": "the local model (gguf)", "openai": "the OpenAI-compatible model (openai)"}
NOTES_HEADING = "What checking removed"
ANNOUNCE_ANSWER = "Answer: {answer} {sources}"
ANNOUNCE_SOURCES = "{count} source{plural} shown below the answer."
ANNOUNCE_REFUSAL = "The plans don't say. {answer}"
ERROR_PREFIX = "Sorry, something went wrong: {error}"

SETTINGS_HEADING = "Settings"
BACKEND_LABEL = "Who writes the answers"
BACKEND_INFO = ("extractive quotes the plans directly; gguf (a small model on this computer) and openai (a "
                "model server) write answers that are then checked against the plans.")
BACKEND_SWITCHED = "Your answers now come from the {backend} backend (in this browser window only)."
BACKEND_FAILED = "The {backend} backend could not be started, so answers still come from {current}. {error}"

FEEDBACK_HEADING = "Was the last answer helpful?"
FEEDBACK_RATING = "Your rating"
FEEDBACK_CHOICES = ("Helpful", "Not helpful")
FEEDBACK_COMMENT = "Comment (optional)"
FEEDBACK_COMMENT_PLACEHOLDER = "What was good, missing or wrong?"
FEEDBACK_SHARE = "Share my question with this feedback"
FEEDBACK_SEND = "Send feedback"
FEEDBACK_THANKS = "Thank you — your feedback was saved on this computer."
FEEDBACK_NO_ANSWER = "Ask a question first, then rate its answer."
FEEDBACK_NO_RATING = "Choose Helpful or Not helpful first."
FEEDBACK_TOO_LONG = ("Your comment is {length} characters long; the most is {limit}. Please shorten it and send "
                     "again (nothing was saved).")

DOCUMENTS_INTRO = ("These are the plans the assistant searches. Staff can add a plan as a PDF, Word (.docx), web "
                   "page (.html) or text (.txt) file; it is copied to this computer's data folder and indexed.")
DOCUMENTS_CAPTION = "Indexed documents ({count})"
DOCUMENTS_COLUMNS = ("File", "Council", "Title", "Format", "Passages", "Table rows")
STAFF_HEADING = "Change the documents (staff)"
STAFF_READ_ONLY = ("This list is read-only here. To add or remove plans, the operator sets "
                   "SEND_ASSISTANT_STAFF_PASSWORD, or runs the app on this computer only (127.0.0.1).")
STAFF_PASSWORD_NEEDED = "Adding or removing a plan needs the staff password."
STAFF_LOCAL_ONLY = "This app only answers this computer (127.0.0.1), so no staff password is needed."
STAFF_PASSWORD_LABEL = "Staff password"
STAFF_WRONG_PASSWORD = "That staff password is not right. Nothing was changed."
STAFF_TOO_MANY = "Too many wrong staff passwords from here in the last hour. Try again later."
UPLOAD_BUTTON = "Choose a plan to add…"
UPLOAD_NO_FILE = "Choose a file first."
UPLOAD_DETECTED = ("{name}: detected council “{council}”, title “{title}”. Correct them below if they are wrong, "
                   "then press “Add to the index”.")
UPLOAD_UNKNOWN_COUNCIL = "not found — type it"
UPLOAD_COUNCIL_LABEL = "Council"
UPLOAD_TITLE_LABEL = "Title"
UPLOAD_REPLACE_LABEL = "Replace the indexed file of the same name with this one"
UPLOAD_REPLACES = " A different file called {name} is already indexed: tick “Replace” to swap it."
UPLOAD_INDEX_BUTTON = "Add to the index"
UPLOAD_CANCEL = "Cancel indexing"
UPLOAD_CANCELLING = "Cancelling…"
UPLOAD_INDEXING = "Indexing {name}: {percent}% done"
UPLOAD_ESTIMATE = ", about {seconds} seconds left"
UPLOAD_PROGRESS_LABEL = "Indexing progress"
UPLOAD_ADDED = "{name} was added for {council}: {passages} passages are now searchable. Ask about it on the Ask tab."
UPLOAD_UPDATED = "{name} was replaced for {council}: {passages} passages are now searchable."
UPLOAD_FAILED = "{name} could not be added. {reason}"
UPLOAD_DUPLICATE = "{name} could not be added: the same file is already indexed as {twin}."
UPLOAD_CONFIRM_REPLACE = ("{name} was not added: a different file with that name is already indexed. Tick “Replace” "
                          "to swap it; the indexed one stays until you do.")
UPLOAD_BUSY = "Another plan is being indexed. Wait for it to finish, then try again."
UPLOAD_LIMIT = "You have added the most plans allowed in an hour ({limit}). Try again later."
REMOVE_LABEL = "Document to remove"
REMOVE_BUTTON = "Remove from the index"
REMOVE_UNKNOWN = "{name} is not indexed, so nothing was removed."
REMOVED = "{name} was removed from the index."

EVAL_INTRO = ("Runs the fixed set of test questions (evals/questions.jsonl) through the assistant and shows "
              "how often it answers correctly, cites the right passage and refuses when it should. "
              "This takes a few minutes.")
EVAL_BUTTON = "Run the evaluation"
EVAL_PROGRESS = "Asking the test questions"
EVAL_CAPTION = "Evaluation results (shares from 0 to 1; times in milliseconds)"
EVAL_PASSED = "Every overall threshold holds."
EVAL_SET = "Question set"
EVAL_OVERALL = "overall"
EVAL_AT_LEAST = "at least {value:g}"
EVAL_AT_MOST = "at most {value:g}"
EVAL_BELOW = "✗ misses"
EVAL_WEAK_HEADING = "Weak categories (a figure misses its threshold):"
EVAL_WEAK = "{category}: {metric} {figure}, should be {threshold}"
EVAL_EXPLAIN_HEADING = "What the figures mean"
EVAL_MISSED = "Below threshold: {missed}."
EVAL_UNAVAILABLE = "The evaluation runner is not available: {reason}"
EVAL_COLUMNS = {"questions": "Questions", "correctness": "Correct", "faithfulness": "Faithful",
                "citation_recall": "Citation recall", "citation_precision": "Citation precision",
                "citation_hit": "Cites the right passage", "hit_at_k": "Hit@{k}", "mrr": "MRR",
                "refusal_accuracy": "Refuses correctly", "false_refusal_rate": "False refusals",
                "latency_p50_ms": "Median time", "latency_p95_ms": "95th percentile time"}
EVAL_EXPLAINED = {  # one plain line per metric, in the table's order
    "questions": "How many test questions were asked.",
    "correctness": "Share of answerable questions whose answer holds every fact it should.",
    "faithfulness": "Share of answer sentences that the quoted sources support.",
    "citation_recall": "Share of answer sentences supported by their own numbered source.",
    "citation_precision": "Share of numbered sources that an answer sentence needs.",
    "citation_hit": "Share of answerable questions where a source is the passage that holds the answer.",
    "hit_at_k": "Share of questions where search put the right passage in its first k results.",
    "mrr": "How high search ranks the right passage: 1 is always first, 0.5 is usually second.",
    "refusal_accuracy": "Share of questions the plans cannot answer that the assistant declined to answer.",
    "false_refusal_rate": "Share of answerable questions it wrongly declined (lower is better).",
    "latency_p50_ms": "Half of the answers took less than this many milliseconds.",
    "latency_p95_ms": "95 in 100 answers took less than this many milliseconds.",
}
