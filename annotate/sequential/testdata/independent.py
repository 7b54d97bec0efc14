#!/usr/bin/env python3
"""An independent computation of the lag-sequential statistics, for
sequential_test.go's published examples.

Neither GSEQ nor R is available where dyadcode is built, so this is a
plain-Python transcription of the published algorithm of the R package
LagSequential 0.1.1 (Draper & O'Connor, R/sequential.R): transition counts,
expected counts n_i+ n_+j / N, adjusted residuals
(n − e)/sqrt(e (1 − p_row)(1 − p_col)), Yule's Q of the 2×2 collapse, and
with structural zeros iterative proportional fitting (Wickens 1989) and
adjusted residuals through the hat matrix of the quasi-independence
design (Christensen 1997, p. 357). It shares no code with the Go package.
It writes independent.json; run it from this directory.
"""
import json
import math

# Bakeman & Quera (2011), Sequential Analysis and Observational Methods for
# the Behavioral Sciences, p. 159, as listed in LagSequential's
# documentation: 75 events, codes 1 Chat, 2 Write, 3 Read, 4 Ask,
# 5 Attentive.
BQ2011 = [2,1,4,3,3,4,3,4,2,1,4,4,5,4,1,3,4,5,3,2,2,1,4,1,2,
          5,2,1,2,3,3,1,4,4,1,4,1,3,3,3,1,5,2,1,1,3,1,4,1,2,
          3,3,4,5,5,2,3,3,5,2,5,4,4,2,3,1,5,5,2,2,1,3,3,3,3]

# Griffin & Gottman (1990), p. 137, husband/wife affect transitions, as in
# LagSequential's documentation (rows: antecedent).
GRIFFIN = [[0, 0, 0, 0, 2, 2],
           [0, 10, 5, 5, 60, 20],
           [0, 9, 2, 1, 3, 0],
           [0, 3, 0, 1, 5, 0],
           [3, 54, 6, 2, 24, 8],
           [1, 24, 2, 1, 3, 12]]


def table(seq, k, lag):
    f = [[0] * k for _ in range(k)]
    for a, b in zip(seq, seq[lag:]):
        f[a - 1][b - 1] += 1
    return f


def stats(f):
    k = len(f)
    rows = [sum(r) for r in f]
    cols = [sum(f[i][j] for i in range(k)) for j in range(k)]
    n = sum(rows)
    out = []
    for i in range(k):
        for j in range(k):
            e = rows[i] * cols[j] / n
            den = e * (1 - rows[i] / n) * (1 - cols[j] / n)
            z = (f[i][j] - e) / math.sqrt(den) if den > 0 else None
            a, b, c = f[i][j], rows[i] - f[i][j], cols[j] - f[i][j]
            d = n - rows[i] - cols[j] + f[i][j]
            q = (a * d - b * c) / (a * d + b * c) if a * d + b * c > 0 else None
            p = f[i][j] / rows[i] if rows[i] > 0 else None
            out.append({"count": f[i][j], "expected": e, "probability": p, "adjusted_residual": z, "yules_q": q})
    return out


def solve_inverse(m):
    n = len(m)
    a = [row[:] + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(m)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(a[r][c]))
        a[c], a[p] = a[p], a[c]
        d = a[c][c]
        a[c] = [x / d for x in a[c]]
        for r in range(n):
            if r != c and a[r][c] != 0:
                f = a[r][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    return [row[n:] for row in a]


def quasi(f):
    """Zero diagonal: IPF expected counts and hat-matrix residuals."""
    k = len(f)
    rows = [sum(r) for r in f]
    cols = [sum(f[i][j] for i in range(k)) for j in range(k)]
    e = [[0.0 if i == j else 1.0 for j in range(k)] for i in range(k)]
    for _ in range(100000):
        for i in range(k):
            s = sum(e[i])
            if s > 0:
                e[i] = [x * rows[i] / s for x in e[i]]
        for j in range(k):
            s = sum(e[i][j] for i in range(k))
            if s > 0:
                for i in range(k):
                    e[i][j] *= cols[j] / s
        if max(abs(sum(e[i]) - rows[i]) for i in range(k)) < 1e-13:
            break
    # Design as LagSequential builds it: intercept, rows 2..k, columns 2..k.
    cells = [(i, j) for i in range(k) for j in range(k) if i != j]
    x = []
    for i, j in cells:
        v = [1.0] + [1.0 if i == r else 0.0 for r in range(1, k)] + [1.0 if j == c else 0.0 for c in range(1, k)]
        x.append(v)
    p = len(x[0])
    info = [[sum(e[i][j] * x[t][a] * x[t][b] for t, (i, j) in enumerate(cells)) for b in range(p)] for a in range(p)]
    inv = solve_inverse(info)
    out = []
    for t, (i, j) in enumerate(cells):
        h = e[i][j] * sum(x[t][a] * inv[a][b] * x[t][b] for a in range(p) for b in range(p))
        z = (f[i][j] - e[i][j]) / math.sqrt(e[i][j] * (1 - h))
        out.append({"given": i, "target": j, "count": f[i][j], "expected": e[i][j], "adjusted_residual": z})
    return out


def dedupe(seq):
    out = [seq[0]]
    for c in seq[1:]:
        if c != out[-1]:
            out.append(c)
    return out


collapsed = dedupe(BQ2011)
result = {
    "bq2011_lag1": stats(table(BQ2011, 5, 1)),
    "bq2011_lag2": stats(table(BQ2011, 5, 2)),
    "griffin": stats(GRIFFIN),
    "bq2011_collapsed": collapsed,
    "bq2011_collapsed_noself": quasi(table(collapsed, 5, 1)),
}
with open("independent.json", "w") as fh:
    json.dump(result, fh, indent=1)
