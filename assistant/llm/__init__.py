"""Generated answers through any LLM, verified against their citations (see README, "LLM backends").

    backends.py   settings → a llama-index LLM (openai-compatible server or in-process GGUF), deadlines, errors
    prompting.py  the messages: system prompt, numbered sources as quoted data, follow-up condensing
    verify.py     keep only the sentences their cited sources support; exact citation slices
    generator.py  the `Generator` the engine calls: prompt → model → verify → answer, or the extractive fallback
"""
