"""rnn_check: check a student's SimpleRNN against rnn_core, and grade a folder of homework.

For the student (in a notebook):

    import rnn_check
    result = rnn_check.check(SimpleRNN)      # a class or an instance; prints a short report
    result.passed, result.score, result.max_score, result.checks
    rnn_check.check(SimpleRNN, lang="zh")    # the report in Chinese (None, the default: the notebook's
                                             # language, which is Chinese in notebooks/zh/)

For the teacher (in a terminal):

    python -m rnn_check grade submissions/ --csv grades.csv [--jobs N] [--timeout S] [--memory MB] [--lang zh]

The verdicts, scores and CSV columns are the same in every language; only the words differ.

The modules, in the order a check runs through them:

    cases      which models, sequences and learning rates the student's class is run on
    child      runs the student's class and returns plain numbers; also the grader's sandboxed child
               process, sent whole to a fresh Python (it imports nothing of the project)
    reference  rnn_core's results for the same cases, and typical wrong variants built from its pieces
    judging    compares, finds the earliest time step where the student departs, gives hints
    student    check(), the student's entry point
    sandbox    the parent side of one sandboxed child: limits, wall clock, capped reading
    grading    reading submissions, running them in parallel, the CSV and the summary
    __main__   the command line
    messages   the one place the checker's words get their language (say, reword), with messages_zh,
               the Chinese catalogue: one entry per English template
"""

from rnn_check.cases import CASES, CHECK_NAMES, TASKS
from rnn_check.judging import CheckItem, CheckResult, judge
from rnn_check.student import check

__all__ = ["CASES", "CHECK_NAMES", "TASKS", "CheckItem", "CheckResult", "check", "judge"]
