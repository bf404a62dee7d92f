"""Chinese labels of the figures and widgets: English label -> 中文 (rnn_viz.language.tr looks them up).

Keys are the exact English strings passed to tr(), {fields} included; tests/test_language.py checks that
every tr() string of the modules and notebooks has an entry here, and every entry is still used.
"""

LABELS: dict[str, str] = {}
