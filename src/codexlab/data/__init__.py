"""Training data: collect Python files, apply the Codex paper's filters, deduplicate, decontaminate, shard."""

from codexlab.data.corpus import CorpusReport, build_corpus, read_corpus
from codexlab.data.decontam import Decontaminator
from codexlab.data.dedup import ExactDedup, MinHashLSH
from codexlab.data.filters import FilterConfig, check_file
from codexlab.data.shards import ShardMeta, TokenShards, write_shards
from codexlab.data.sources import SourceFile, iter_sources

__all__ = [
    "CorpusReport",
    "Decontaminator",
    "ExactDedup",
    "FilterConfig",
    "MinHashLSH",
    "ShardMeta",
    "SourceFile",
    "TokenShards",
    "build_corpus",
    "check_file",
    "iter_sources",
    "read_corpus",
    "write_shards",
]
