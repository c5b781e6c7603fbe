#!/usr/bin/env python3
"""Generate tanh64.txt, the float64 reference table of TestDexpTables.

Regenerate (from the module root; Python 3.8 or later, standard library only,
deterministic: the output is identical on every run and machine):

    python3 kernels/testdata/gen_tanh64.py > kernels/testdata/tanh64.txt

Each data line holds four space-separated fields for one input x, in the
format of sigmoid64.txt (see gen_sigmoid64.py):

    x_bits  tanh_bits  ulp_exp  residual

  x_bits      the IEEE 754 binary64 encoding of x, 16 hex digits;
  tanh_bits   the encoding of tanh(x) correctly rounded to float64 (round to
              nearest, ties to even), subnormals and ±0 included;
  ulp_exp     the exponent e of the unit in the last place at the exact
              tanh(x): 2^e is the float64 spacing in its binade, −1074 for
              |tanh(x)| < 2^−1022;
  residual    (tanh(x) − rounded) / 2^e, in [−0.5, 0.5].

tanh|x| = (1 − e^(−2|x|))/(1 + e^(−2|x|)) is evaluated with the decimal
module at PREC = 50 significant digits, raised by 3·log₁₀(1/|x|) digits for
|x| < 1: the subtraction loses log₁₀(1/|x|) of them, and for tiny |x|,
tanh(x) = x − x³/3 + … lies within x³/3 of x, a float, so resolving its
distance from the midpoint next to x takes 2·log₁₀(1/|x|) more. tanh is odd,
so tanh(−x) is −tanh|x| with the residual negated.

Inputs are finite; ±Inf and NaN are tested separately. The sample: special
points, magnitudes log-spaced from 2^−1074 to the largest float, dense uniform
samples of [−20, 20] and [−1, 1], of where tanh rounds to ±1 (|x| near 19.06),
the range-reduction boundaries 2|x| = (k+½)·ln 2, float32-representable inputs
and random bit patterns.
"""

import math
import random
import struct
import sys
from decimal import Decimal, localcontext, MAX_EMAX, MIN_EMIN, Overflow, Underflow

PREC = 50
SEED = 20261203


def bits(v):
    return struct.unpack(">Q", struct.pack(">d", v))[0]


def frombits(b):
    return struct.unpack(">d", struct.pack(">Q", b))[0]


def f32(v):
    """v rounded to float32 (struct rounds to nearest)."""
    return struct.unpack(">f", struct.pack(">f", v))[0]


def tanh_abs(a):
    """tanh(a) for a ≥ 0: rounded to float64, the ulp exponent, the residual."""
    with localcontext() as ctx:
        ctx.prec = PREC
        if 0 < a < 1:
            ctx.prec += int(3 * -math.log10(a)) + 1
        ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
        ctx.traps[Overflow] = False
        ctx.traps[Underflow] = False
        if a == 0:
            return 0.0, -1074, 0.0
        e = (Decimal(-2) * Decimal(a)).exp()  # 0 only far past where tanh is 1
        exact = (1 - e) / (1 + e)
        rounded = float(exact)  # correctly rounded, subnormals too
        m, k = math.frexp(rounded)  # rounded = m·2^k, ½ ≤ m < 1
        ex = k - 1  # rounded ∈ [2^ex, 2^(ex+1))
        if m == 0.5 and exact < Decimal(rounded):
            ex -= 1  # the exact value lies in the binade below
        ulp_exp = max(ex, -1022) - 52
        resid = (exact - Decimal(rounded)) / Decimal(2) ** ulp_exp
        return rounded, ulp_exp, float(resid)


def tanh(x):
    rounded, ulp_exp, resid = tanh_abs(abs(x))
    if x < 0 or (x == 0 and math.copysign(1, x) < 0):
        return -rounded, ulp_exp, -resid
    return rounded, ulp_exp, resid


def inputs():
    rng = random.Random(SEED)
    xs = []
    tiny = 2.0**-1074
    for v in [0.0, tiny, 2 * tiny, 3 * tiny, 2.0**-1022, 2.0**-1022 - tiny, 1e-300,
              1e-20, 2.0**-26, 2.0**-27, 2.0**-53, 1e-8, 0.1, 0.17328679513998632,
              0.25, 0.5, 1.0, 2.0, 9.0, 9.01, 10.0, 18.0, 19.0, 19.06, 19.1, 20.0,
              40.0, 100.0, 1e10, 1e300, sys.float_info.max]:
        xs += [v, -v]
    # Magnitudes log-spaced from 2^−1074 to the largest float, both signs.
    for _ in range(3000):
        for s in (1.0, -1.0):
            u = rng.uniform(-1074, 1024)
            xs.append(s * min(sys.float_info.max, 2.0**u))
    # Dense over where tanh is neither x nor ±1 in float64.
    xs += [rng.uniform(-20, 20) for _ in range(5000)]
    xs += [rng.uniform(-1, 1) for _ in range(2000)]
    xs += [rng.choice((1, -1)) * 2.0 ** rng.uniform(-60, -1) for _ in range(2000)]
    # Where tanh rounds to 1 (2e^(−2x) < 2^−54 past x ≈ 19.06).
    xs += [rng.uniform(18, 20) for _ in range(1000)]
    # The range-reduction boundaries −2|x| = −(k+½)·ln 2, where the rounding
    # of k changes, and just either side.
    for _ in range(500):
        k = rng.randrange(0, 58)
        v0 = (k + 0.5) * math.log(2) / 2
        for v in (v0, math.nextafter(v0, 0), math.nextafter(v0, math.inf)):
            xs.append(rng.choice((1, -1)) * v)
    # Inputs a float32 can hold.
    xs += [f32(rng.uniform(-12, 12)) for _ in range(1000)]
    xs += [float(k) / 8 for k in range(-100, 101)]
    # Random finite bit patterns.
    while len(xs) < 20000:
        v = frombits(rng.getrandbits(64))
        if math.isfinite(v):
            xs.append(v)
    return xs


def main():
    out = sys.stdout
    out.write("# Generated by gen_tanh64.py; see there. Do not edit.\n")
    out.write("# x_bits tanh_bits ulp_exp residual\n")
    for x in inputs():
        rounded, ulp_exp, resid = tanh(x)
        out.write("%016x %016x %d %.9f\n" % (bits(x), bits(rounded), ulp_exp, resid))


if __name__ == "__main__":
    main()
