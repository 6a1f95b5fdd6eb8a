"""How a fine-tuning target ends, so that the fine-tuned model's completions end where the harness ends them.

- "next-def" (the default): two blank lines and the next function's `def`, as after a function in a source
  file; the paper's stop sequence '\\ndef' cuts it, so the completion ends with the body. (An end-of-text token
  instead taught the default instruct model to close a code fence first, a syntax error after a body:
  docs/curation.md.)
- "eos": the tokenizer's end-of-text token.
- "none": nothing; the model is not taught to stop.
"""

from __future__ import annotations

ENDINGS = ("next-def", "eos", "none")
NEXT_DEF = "\n\ndef"
