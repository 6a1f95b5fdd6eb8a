"""Training data: collect Python files, apply the Codex paper's filters, deduplicate, decontaminate, shard.

Exports are imported on first use: sharding needs the `train` extra (tokenizers), decontamination does not.
"""

from codexlab.lazy import lazy_exports

_EXPORTS = {
    "CorpusReport": "codexlab.data.corpus",
    "build_corpus": "codexlab.data.corpus",
    "read_corpus": "codexlab.data.corpus",
    "Decontaminator": "codexlab.data.decontam",
    "ExactDedup": "codexlab.data.dedup",
    "MinHashLSH": "codexlab.data.dedup",
    "FilterConfig": "codexlab.data.filters",
    "check_file": "codexlab.data.filters",
    "ShardMeta": "codexlab.data.shards",
    "TokenShards": "codexlab.data.shards",
    "write_shards": "codexlab.data.shards",
    "SourceFile": "codexlab.data.sources",
    "iter_sources": "codexlab.data.sources",
}
__getattr__ = lazy_exports(_EXPORTS)
__all__ = sorted(_EXPORTS)
