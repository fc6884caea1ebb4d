"""The hybrid index as a llama-index retriever, so llama-index query engines and pipelines can search the plans.

`HybridRetriever` implements only `_retrieve`; the base class's `retrieve()` adds the callbacks and
instrumentation. Each result is the chunk's own `TextNode` (`Chunk.to_node`): its text is exactly
`source[start:end]` and its flat metadata carries the offsets, council, section, kind and page, so a citation
made from a node can be checked against the file. The node's `start_char_idx`/`end_char_idx` are set to the
same offsets, llama-index's own way of saying where a node sits in its document.
"""

from __future__ import annotations

from collections.abc import Sequence

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeWithScore, QueryBundle

from core.errors import ConfigError
from vectorstore.index import Hit, HybridIndex


class HybridRetriever(BaseRetriever):
    """Fused meaning + keyword search over `HybridIndex`, optionally restricted to some councils' plans."""

    def __init__(self, index: HybridIndex, k: int | None = None, councils: Sequence[str] | None = None,
                 callback_manager: CallbackManager | None = None) -> None:
        self._index = index
        self._k = k
        self._councils = list(councils) if councils else None
        super().__init__(callback_manager=callback_manager)

    @classmethod
    def from_index(cls, index: HybridIndex, k: int | None = None, councils: Sequence[str] | None = None,
                   callback_manager: CallbackManager | None = None) -> HybridRetriever:
        """`k` hits per query (default: the index's `top_k` setting); `councils` as the user names them."""
        if k is not None and k < 1:
            raise ConfigError(f"k must be at least 1 (got {k}).")
        resolved = []
        for name in councils or ():
            council = index.resolve_council(name)
            if council is None:
                raise ConfigError(f"No plans from {name!r} are indexed. Known councils: {', '.join(index.councils)}.")
            resolved.append(council)
        return cls(index, k, resolved, callback_manager)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        # The query text is embedded by the index's own model: a bundle's precomputed embedding may come from another.
        return [_node_with_score(hit) for hit in self._index.search(query_bundle.query_str, self._k, self._councils)]


def _node_with_score(hit: Hit) -> NodeWithScore:
    node = hit.chunk.to_node()
    node.start_char_idx, node.end_char_idx = hit.chunk.start, hit.chunk.end
    return NodeWithScore(node=node, score=hit.score)
