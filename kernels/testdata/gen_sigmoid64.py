#!/usr/bin/env python3
"""Generate sigmoid64.txt, the float64 reference table of TestDexpTables.

Regenerate (from the module root; Python 3.8 or later, standard library only,
deterministic: the output is identical on every run and machine):

    python3 kernels/testdata/gen_sigmoid64.py > kernels/testdata/sigmoid64.txt

Each data line holds four space-separated fields for one input x:

    x_bits  sigma_bits  ulp_exp  residual

  x_bits      the IEEE 754 binary64 encoding of x, 16 hex digits;
  sigma_bits  the encoding of σ(x) = 1/(1+e^(−x)) correctly rounded to float64
              (round to nearest, ties to even), subnormals and 0 included;
  ulp_exp     the exponent e of the unit in the last place at the exact σ(x):
              2^e is the float64 spacing in σ(x)'s binade, −1074 (the
              subnormal spacing) for σ(x) < 2^−1022;
  residual    (σ(x) − rounded) / 2^e, the exact value's distance from the
              rounded one in those units, in [−0.5, 0.5].

A result y of a sigmoid kernel is then |(y − rounded)/2^e − residual| ULP
from the exact σ(x).

σ is evaluated with the decimal module at PREC = 50 significant digits, as
t(x) = e^x/(1+e^x) for x < 0 and as 1 − t(−x) for x ≥ 0 (so that the tiny
1 − σ(x) keeps its relative precision for the ulp exponent). Both are within
a relative 10^−(prec−2) of the exact value, so rounding to float64 can go
wrong only within that distance of a midpoint between two floats, which
σ(x), transcendental for x ≠ 0, is not near for these inputs, with one
family of exceptions: for tiny |x|, σ(x) = ½ + x/4 − x³/48 + … lies within
about |x|³/48 of ½ + x/4, which is a midpoint when x/4 is half a ulp of ½
(x = ±2^−53, say). There the precision grows to 50 + 3·log₁₀(1/|x|) digits,
enough to resolve the x³ term (up to ~1030 digits at x = 2^−1074).

Inputs are finite; ±Inf and NaN are tested separately. The sample: special
points (±0, the smallest subnormal, the subnormal/normal boundary, ±1e−300,
the largest float), magnitudes log-spaced from 2^−1074 to 1.8e308, dense
uniform samples of [−40, 40], of the region where σ(x) is subnormal
(x from −708.4 to −745.2) and of where σ rounds to 1 (x near 36.7–37.5),
the range-reduction boundaries x = −(k+½)·ln 2, float32-representable
inputs, integers and random bit patterns.
"""

import math
import random
import struct
import sys
from decimal import Decimal, localcontext, MAX_EMAX, MIN_EMIN, Overflow, Underflow

PREC = 50
SEED = 20240603


def bits(v):
    return struct.unpack(">Q", struct.pack(">d", v))[0]


def frombits(b):
    return struct.unpack(">d", struct.pack(">Q", b))[0]


def f32(v):
    """v rounded to float32 (struct rounds to nearest)."""
    return struct.unpack(">f", struct.pack(">f", v))[0]


def t_of(x):
    """e^x/(1+e^x) for x ≤ 0 as a Decimal of PREC digits (exact for x = 0)."""
    e = Decimal(x).exp()  # underflows to 0 only far below 2^−1075
    return e / (1 + e)


def sigma(x):
    """σ(x) correctly rounded to float64, the ulp exponent and the residual."""
    with localcontext() as ctx:
        ctx.prec = PREC
        if 0 < abs(x) < 1:
            ctx.prec += int(3 * -math.log10(abs(x))) + 1
        ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
        ctx.traps[Overflow] = False
        ctx.traps[Underflow] = False
        if x >= 0:
            # σ(x) ∈ [1/2, 1): the binade of spacing 2^−53.
            exact = 1 - t_of(-x)
            ulp_exp = -53
            rounded = float(exact)
        else:
            exact = t_of(x)
            rounded = float(exact)  # correctly rounded, subnormals too
            if rounded == 0:
                ulp_exp = -1074
            else:
                m, k = math.frexp(rounded)  # rounded = m·2^k, ½ ≤ m < 1
                e = k - 1  # rounded ∈ [2^e, 2^(e+1))
                if m == 0.5 and exact < Decimal(rounded):
                    e -= 1  # the exact value lies in the binade below
                ulp_exp = max(e, -1022) - 52
        resid = (exact - Decimal(rounded)) / Decimal(2) ** ulp_exp
        return rounded, ulp_exp, float(resid)


def inputs():
    rng = random.Random(SEED)
    xs = []
    tiny = 2.0**-1074
    for v in [0.0, tiny, 2 * tiny, 3 * tiny, 2.0**-1022, 2.0**-1022 - tiny, 1e-300,
              1e-20, 2.0**-53, 2.0**-54, 2.0**-27, 1e-8, 0.5, 1.0, 2.0, 17.0,
              36.7, 37.0, 37.4299, 40.0, 100.0, 700.0, 708.0, 709.78, 710.0,
              744.44, 745.0, 745.13, 745.14, 746.0, 750.0, 800.0, 1e4, 1e10,
              1e300, 1e308, sys.float_info.max]:
        xs += [v, -v]
    # Magnitudes log-spaced from 2^−1074 to the largest float, both signs.
    for _ in range(3000):
        for s in (1.0, -1.0):
            u = rng.uniform(-1074, 1024)
            xs.append(s * min(sys.float_info.max, 2.0**u))
    # Dense over where σ is neither 0, ½ nor 1 in float64.
    xs += [rng.uniform(-40, 40) for _ in range(5000)]
    xs += [rng.uniform(-1, 1) for _ in range(1000)]
    xs += [rng.choice((1, -1)) * 2.0 ** rng.uniform(-60, -20) for _ in range(500)]
    # Subnormal results: σ(x) ≈ e^x < 2^−1022 for x < −708.4; 0 below −745.13.
    xs += [rng.uniform(-746, -700) for _ in range(3000)]
    for lo, hi in [(-708.5, -708.3), (-744.5, -744.4), (-745.2, -745.0)]:
        xs += [rng.uniform(lo, hi) for _ in range(200)]
    xs += [float(-k) for k in range(700, 760)]
    # Where σ(x) rounds to 1 (1 − σ < 2^−54 past x ≈ 37.43) and where a naive
    # 1/(1+e^−x) does (e^−x < 2^−53 past x ≈ 36.74).
    xs += [rng.uniform(35, 38.5) for _ in range(1000)]
    for c in (36.7368, 37.4299):
        xs += [rng.uniform(c - 0.05, c + 0.05) for _ in range(200)]
    # The range-reduction boundaries z = −(k+½)·ln 2, where the rounding of
    # k = round(z·log₂e) changes, and just either side.
    for _ in range(500):
        k = rng.randrange(0, 1076)
        z = (k + 0.5) * math.log(2)
        for v in (z, math.nextafter(z, 0), math.nextafter(z, math.inf)):
            xs.append(rng.choice((1, -1)) * v)
    # Inputs a float32 can hold (they check the float32 test's reference too).
    xs += [f32(rng.uniform(-110, 110)) for _ in range(1000)]
    xs += [float(k) / 2 for k in range(-100, 101)]
    # Random finite bit patterns.
    while len(xs) < 20000:
        v = frombits(rng.getrandbits(64))
        if math.isfinite(v):
            xs.append(v)
    return xs


def main():
    out = sys.stdout
    out.write("# Generated by gen_sigmoid64.py; see there. Do not edit.\n")
    out.write("# x_bits sigma_bits ulp_exp residual\n")
    for x in inputs():
        rounded, ulp_exp, resid = sigma(x)
        out.write("%016x %016x %d %.9f\n" % (bits(x), bits(rounded), ulp_exp, resid))


if __name__ == "__main__":
    main()
