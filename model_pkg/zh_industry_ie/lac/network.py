"""LAC's network in numpy: embedding -> 2 bidirectional GRU layers -> fc_4 emissions -> CRF Viterbi.

The GRU is paddle's ``dynamic_gru`` with ``origin_mode=False``: the reset gate multiplies the
previous state *before* the candidate projection, and h = h - u*h + u*c. torch.nn.GRU differs.
Sequences are sorted by length (longest first), so at time t the live sequences are a prefix
of the batch and the recurrence needs no masks. Everything that is not recurrent (the input
projections, the emissions) runs on the packed real tokens only, so one long text in a batch of
short ones costs no padded work.
"""

from __future__ import annotations

import numpy as np

HIDDEN = 128

# Array names of the converted weights and their shapes (``H`` = HIDDEN).
WEIGHT_SHAPES: dict[str, tuple[int, ...]] = {
    "word_emb": (58224, 128),
    **{f"fc_{i}.w": (128 if i < 2 else 256, 3 * HIDDEN) for i in range(4)},
    **{f"fc_{i}.b": (3 * HIDDEN,) for i in range(4)},
    **{f"gru_{i}.w_ur": (HIDDEN, 2 * HIDDEN) for i in range(4)},
    **{f"gru_{i}.w_c": (HIDDEN, HIDDEN) for i in range(4)},
    **{f"gru_{i}.b": (3 * HIDDEN,) for i in range(4)},
    "fc_4.w": (2 * HIDDEN, 49),
    "fc_4.b": (49,),
    "crf.start": (49,),
    "crf.stop": (49,),
    "crf.trans": (49, 49),
}


class LacNetwork:
    """The weights and the batched forward pass."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        w = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()}
        self.embedding = w["word_emb"]
        # Per layer: both directions' input projections side by side (one gemm), the fc and gru
        # biases kept apart (paddle adds them one after the other), recurrent weights stacked
        # [direction, in, out]. The update/reset columns are negated here so that the step computes
        # sigmoid(a) as 1 / (1 + exp(-a)) without a negation pass; negation is exact in floats.
        self.layers = []
        for fwd, bwd in ((0, 1), (2, 3)):
            sign = np.ones(3 * HIDDEN, dtype=np.float32)
            sign[: 2 * HIDDEN] = -1.0
            self.layers.append(
                {
                    "w_in": np.concatenate([w[f"fc_{fwd}.w"] * sign, w[f"fc_{bwd}.w"] * sign], axis=1),
                    "b_fc": np.concatenate([w[f"fc_{fwd}.b"] * sign, w[f"fc_{bwd}.b"] * sign]),
                    "b_gru": np.concatenate([w[f"gru_{fwd}.b"] * sign, w[f"gru_{bwd}.b"] * sign]),
                    "w_ur": -np.stack([w[f"gru_{fwd}.w_ur"], w[f"gru_{bwd}.w_ur"]]),
                    "w_c": np.stack([w[f"gru_{fwd}.w_c"], w[f"gru_{bwd}.w_c"]]),
                }
            )
        self.out_w, self.out_b = w["fc_4.w"], w["fc_4.b"]
        self.start, self.stop, self.trans = w["crf.start"], w["crf.stop"], w["crf.trans"]

    @property
    def num_tags(self) -> int:
        return int(self.out_b.shape[0])

    def run(self, sequences: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Tag ids and layer-2 states [len, 256] for each id sequence (each of length >= 1)."""
        if not sequences:
            return [], []
        lengths = np.array([len(s) for s in sequences], dtype=np.int64)
        if lengths.min() < 1:
            raise ValueError("LacNetwork.run needs non-empty sequences")
        order = np.argsort(-lengths, kind="stable")
        packing = _Packing(lengths[order])
        x = self.embedding[np.concatenate([np.asarray(sequences[i], dtype=np.int64) for i in order])]
        for layer in self.layers:
            x = self._bigru(x, layer, packing)
        emissions = np.zeros((packing.steps, packing.batch, self.num_tags), dtype=np.float32)
        packed_emissions = x @ self.out_w
        packed_emissions += self.out_b
        emissions[packing.t_of, packing.b_of] = packed_emissions
        tags = self._viterbi(emissions, packing.live, packing.lengths)
        out_tags: list[np.ndarray] = [np.empty(0)] * len(sequences)
        out_states: list[np.ndarray] = [np.empty(0)] * len(sequences)
        for col, i in enumerate(order):
            start, end = packing.offsets[col], packing.offsets[col + 1]
            out_tags[i] = tags[: end - start, col]
            out_states[i] = x[start:end]
        return out_tags, out_states

    def _bigru(self, x: np.ndarray, layer: dict, p: _Packing) -> np.ndarray:
        """One bidirectional layer on packed inputs [tokens, width] -> packed outputs [tokens, 256]."""
        three = 3 * HIDDEN
        proj = x @ layer["w_in"]
        proj += layer["b_fc"]
        proj += layer["b_gru"]
        gates = np.zeros((p.steps, 2, p.batch, three), dtype=np.float32)
        gates[p.t_of, 0, p.b_of] = proj[:, :three]
        # the backward GRU at step t of a sequence reads that sequence's token len-1-t
        gates[p.t_of, 1, p.b_of] = proj[p.mirror, three:]
        w_ur, w_c = layer["w_ur"], layer["w_c"]
        out = np.zeros((p.steps, 2, p.batch, HIDDEN), dtype=np.float32)
        h0 = np.zeros((2, p.batch, HIDDEN), dtype=np.float32)
        for t in range(p.steps):
            n = p.live[t]
            g = gates[t, :, :n]
            hp = out[t - 1, :, :n] if t else h0[:, :n]
            # -(update|reset pre-activations): the weights and inputs were negated at load
            z = np.matmul(hp, w_ur)
            z += g[:, :, : 2 * HIDDEN]
            # paddle clips the sigmoid input to [-40, 13]; two ufuncs, not np.clip: its Python
            # wrapper cost more than the clipping at this array size, thousands of times a batch
            np.maximum(z, -13.0, out=z)
            np.minimum(z, 40.0, out=z)
            np.exp(z, out=z)
            z += 1.0
            np.reciprocal(z, out=z)
            u, r = z[:, :, :HIDDEN], z[:, :, HIDDEN:]
            c = np.matmul(r * hp, w_c)
            c += g[:, :, 2 * HIDDEN :]
            np.tanh(c, out=c)
            # paddle (origin_mode=False): h = h_prev - u * h_prev + u * c
            h = out[t, :, :n]
            np.subtract(hp, u * hp, out=h)
            c *= u
            h += c
        forward = out[p.t_of, 0, p.b_of]
        backward = out[p.t_of[p.mirror], 1, p.b_of]
        return np.concatenate([forward, backward], axis=1)

    def _viterbi(self, emissions: np.ndarray, live: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Best tag path per sequence, as paddle's crf_decoding: ties go to the lowest tag id.

        The forward pass keeps only the scores (max is cheap); back-pointers are recomputed for the
        chosen tag alone while walking back, which gives the same argmax as storing them all.
        """
        steps, batch, k = emissions.shape
        alpha = np.empty((steps, batch, k), dtype=np.float32)
        alpha[0] = self.start + emissions[0]
        trans = self.trans
        trans_from = trans[:, None, :]  # [from, 1, to]
        for t in range(1, steps):
            n = live[t]
            best = (alpha[t - 1, :n].T[:, :, None] + trans_from).max(axis=0)  # [n, to]
            best += emissions[t, :n]
            alpha[t, :n] = best
        rows = np.arange(batch)
        # A sequence's walk back starts at its own last step; until then nothing changes its entry.
        cur = (alpha[lengths - 1, rows] + self.stop).argmax(axis=1)
        trans_to = np.ascontiguousarray(trans.T)  # [to, from]
        path = np.zeros((steps, batch), dtype=np.int64)
        for t in range(steps - 1, -1, -1):
            n = live[t]
            path[t, :n] = cur[:n]
            if t:
                cur[:n] = (alpha[t - 1, :n] + trans_to[cur[:n]]).argmax(axis=1)
        return path


class _Packing:
    """Where the packed tokens of a length-sorted batch sit in the [time, batch] grid.

    Packed order is sequence by sequence (sorted order), each in time order, so a sequence's
    outputs are one contiguous slice.
    """

    def __init__(self, lengths: np.ndarray) -> None:
        self.lengths = lengths
        self.batch, self.steps = len(lengths), int(lengths[0])
        self.offsets = np.concatenate([[0], np.cumsum(lengths)])
        self.b_of = np.repeat(np.arange(self.batch), lengths)
        self.t_of = np.arange(int(self.offsets[-1])) - self.offsets[self.b_of]
        # packed index of the same sequence's token at len-1-t
        self.mirror = self.offsets[self.b_of] + lengths[self.b_of] - 1 - self.t_of
        # live[t] = number of sequences longer than t (a prefix of the sorted batch)
        self.live = (lengths[None, :] > np.arange(self.steps)[:, None]).sum(axis=1)
