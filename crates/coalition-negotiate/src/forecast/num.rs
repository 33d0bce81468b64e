//! The two kinds of numbers the exchange model can compute with.
//!
//! * [`Dec`]: decimal floating point with 28 significant digits, every operation rounded half
//!   to even: Python's default `decimal` context, the one decide computes in (decide never
//!   changes the context). `+ − × ÷` and comparisons run on a `u128` coefficient
//!   (`dec28.rs`): the exact result rounded once to 28 digits, as the General Decimal
//!   Arithmetic specification (which Python's `decimal` implements) requires. Where decide
//!   mixes a binary float into its decimals (`Decimal(0.4)`, comparisons with `1e-10`), the
//!   float's exact binary value is used, as Python does; the few operations on those wide
//!   values (and the special values) go through libdecNumber (the `dec` crate).
//! * `f64`: binary floating point, fast, equal to decide until a decision turns on rounding
//!   noise (a "knife edge").
//! * [`Approx`]: a binary float with a bound on its distance from the decimal decide would
//!   have: comparisons whose answer the bound cannot guarantee raise [`unsure`], and the
//!   caller then redoes the step in [`Dec`].

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};
use std::sync::LazyLock;

use dec::{Context, Decimal};

use super::dec28::{D, D28, context, float_parts};

/// Storage of the exact value of a binary float (up to 120 digits).
type Wide = Decimal<40>;

/// Python's default decimal context (for the operations libdecNumber does).
static CONTEXT: LazyLock<Context<D>> = LazyLock::new(context);

/// The exact decimal values of the binary floats decide mixes into its decimals.
struct Floats {
    /// `Decimal(0.4)`: `AbstractModel.SALIENCE_WEIGHT`.
    salience_weight: Wide,
    /// `Decimal(0.1)`: `AbstractModel.FIXED_WEIGHT`.
    fixed_weight: Wide,
    /// `1e-10`, the threshold of `is_move_valid` and of the gain test.
    tiny: Wide,
    /// `1e-20`, the tie threshold of decide's random rule.
    tie: Wide,
    /// The 28-digit numbers next to `1e-10`: below it (`tiny_below`, `tiny` rounded down)
    /// and above it (rounded up). `1e-10` has 77 digits, so a 28-digit number is never
    /// equal to it: it is at most `tiny_below` or at least `tiny_above`.
    tiny_below: D28,
    tiny_above: D28,
}

static FLOATS: LazyLock<Floats> = LazyLock::new(|| Floats {
    salience_weight: exact_float(0.4),
    fixed_weight: exact_float(0.1),
    tiny: exact_float(1e-10),
    tie: exact_float(1e-20),
    tiny_below: neighbour(&exact_float(1e-10), dec::Rounding::Down),
    tiny_above: neighbour(&exact_float(1e-10), dec::Rounding::Up),
});

/// A wide number rounded to 28 digits in the direction given (it must need rounding).
fn neighbour(w: &Wide, rounding: dec::Rounding) -> D28 {
    let mut cx = context();
    cx.set_rounding(rounding);
    let mut d = cx.from_i32(0);
    cx.add(&mut d, w);
    assert!(cx.status().inexact(), "{w} has at most 28 digits");
    D28::from_dec(&d)
}

/// The exact value of a finite, positive binary float: `m · 2^e = m · 5^-e · 10^e`.
fn exact_float(v: f64) -> Wide {
    assert!(v.is_finite() && v > 0.0);
    let (mut m, mut e) = float_parts(v);
    while m % 2 == 0 && e < 0 {
        m /= 2;
        e += 1;
    }
    // m · 2^e = m · 5^−e · 10^e: the digits of m · 5^−e (or m · 2^e) in base 10⁹, then
    // read once (multiplying in libdecNumber 100 times over took most of a millisecond).
    let (factor, times, exp10) = if e >= 0 { (2, e, 0) } else { (5, -e, e) };
    let mut limbs: Vec<u64> = vec![m % 1_000_000_000, m / 1_000_000_000 % 1_000_000_000];
    limbs.push(m / 1_000_000_000_000_000_000);
    for _ in 0..times {
        let mut carry = 0;
        for l in &mut limbs {
            let x = *l * factor + carry;
            *l = x % 1_000_000_000;
            carry = x / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut text = String::new();
    for (k, l) in limbs.iter().rev().enumerate() {
        if k == 0 {
            text.push_str(&l.to_string());
        } else {
            text.push_str(&format!("{l:09}"));
        }
    }
    text.push_str(&format!("E{exp10}"));
    let mut cx = Context::<Wide>::default();
    cx.set_precision(120)
        .expect("120 digits fit in Decimal<40>");
    let d = cx.parse(text.as_str()).expect("digits and an exponent");
    assert!(!cx.status().inexact(), "{v} needs more than 120 digits");
    d
}

/// A number of the exchange model, with the operations decide's code applies to it.
pub(crate) trait Num:
    Copy
    + fmt::Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// Whether comparisons are counted as knife edges (only binary floats have them).
    const COUNTS_KNIFE_EDGES: bool;

    /// A number of the input, as the data file wrote it (the shortest decimal that reads
    /// back as `v`: exactly what the file says when it has at most 15 significant digits).
    fn input(v: f64) -> Self;
    /// A small integer.
    fn int(v: i32) -> Self;
    /// A binary float within 2 ulps.
    fn to_f64(self) -> f64;
    /// `abs(self)`.
    fn abs(self) -> Self;
    /// Exact comparison.
    fn cmp(self, other: Self) -> Ordering;
    /// `self * Decimal(0.4)`.
    fn times_salience_weight(self) -> Self;
    /// `self * Decimal(0.1)`.
    fn times_fixed_weight(self) -> Self;
    /// `self - Decimal(0.1)`.
    fn minus_fixed_weight(self) -> Self;
    /// `self` against the float `1e-10`.
    fn cmp_tiny(self) -> Ordering;
    /// The order of two gains when exchanges are ranked.
    fn gain_cmp(self, other: Self) -> Ordering;
    /// decide's tie test of the random rule: `abs(a - b) < 1e-20`.
    fn tie(self, other: Self) -> bool;
    /// Whether two numbers are closer than [`super::KNIFE_EDGE`].
    fn near(self, other: Self) -> bool;

    fn lt(self, o: Self) -> bool {
        self.cmp(o) == Ordering::Less
    }
    fn le(self, o: Self) -> bool {
        self.cmp(o) != Ordering::Greater
    }
    fn gt(self, o: Self) -> bool {
        self.cmp(o) == Ordering::Greater
    }
    fn ge(self, o: Self) -> bool {
        self.cmp(o) != Ordering::Less
    }
    fn is_zero(self) -> bool {
        self.cmp(Self::int(0)) == Ordering::Equal
    }
}

impl Num for f64 {
    const COUNTS_KNIFE_EDGES: bool = true;

    fn input(v: f64) -> f64 {
        v
    }
    fn int(v: i32) -> f64 {
        f64::from(v)
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn abs(self) -> f64 {
        f64::abs(self)
    }
    fn cmp(self, other: f64) -> Ordering {
        self.partial_cmp(&other).unwrap_or(Ordering::Equal)
    }
    fn times_salience_weight(self) -> f64 {
        self * 0.4
    }
    fn times_fixed_weight(self) -> f64 {
        self * 0.1
    }
    fn minus_fixed_weight(self) -> f64 {
        self - 0.1
    }
    fn cmp_tiny(self) -> Ordering {
        Num::cmp(self, 1e-10)
    }
    /// Gains equal on paper may differ in their last bits, so they are ranked on a grid of
    /// [`super::GAIN_GRID`].
    fn gain_cmp(self, other: f64) -> Ordering {
        gain_key(self).cmp(&gain_key(other))
    }
    fn tie(self, other: f64) -> bool {
        gain_key(self) == gain_key(other)
    }
    fn near(self, other: f64) -> bool {
        (self - other).abs() <= super::KNIFE_EDGE
    }
}

fn gain_key(gain: f64) -> i64 {
    (gain / super::GAIN_GRID).round() as i64
}

/// A decimal number computed as Python's `decimal` module does in its default context.
#[derive(Clone, Copy)]
pub(crate) struct Dec(D28);

impl fmt::Debug for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.to_dec())
    }
}

impl Dec {
    /// A binary float within 3 roundings (relative 3·2⁻⁵³) of the decimal, without
    /// formatting: the coefficient (at most 28 digits, one rounding to binary) times or
    /// divided by exactly representable powers of ten.
    pub(crate) fn fast_f64(self) -> f64 {
        const POW10: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ];
        let exp = self.0.exponent();
        if !self.0.is_finite() || !(-44..=22).contains(&exp) {
            // Rust's parser rounds correctly.
            return self.0.to_dec().to_string().parse().unwrap_or(f64::NAN);
        }
        let c = self.0.coefficient() as f64;
        let v = match exp {
            0.. => c * POW10[exp as usize],
            -22..0 => c / POW10[(-exp) as usize],
            _ => c / 1e22 / POW10[(-exp - 22) as usize],
        };
        if self.0.is_negative() { -v } else { v }
    }

    /// Whether the binary float `v` is this decimal exactly.
    fn is_float(self, v: f64) -> bool {
        D28::exact_float(v).is_some_and(|x| x.partial_cmp(self.0) == Some(Ordering::Equal))
    }

    /// An operation with a wide operand, in libdecNumber.
    fn wide(self, f: impl FnOnce(&mut Context<D>, &mut D)) -> Dec {
        let mut cx = CONTEXT.clone();
        let mut d = self.0.to_dec();
        f(&mut cx, &mut d);
        Dec(D28::from_dec(&d))
    }

    fn cmp_d28(self, o: D28) -> Ordering {
        self.0.partial_cmp(o).unwrap_or(Ordering::Equal)
    }
}

/// `+ − × ÷` in the decimal context, each result rounded once.
macro_rules! decimal_operations {
    ($($trait:ident $method:ident),*) => {$(
        impl $trait for Dec {
            type Output = Dec;
            fn $method(self, o: Dec) -> Dec {
                Dec(self.0.$method(o.0))
            }
        }
    )*};
}

decimal_operations!(Add add, Sub sub, Mul mul, Div div);

impl Neg for Dec {
    type Output = Dec;
    /// decide negates with `x *= -1`, which rounds like any product (a no-op for numbers of
    /// at most 28 digits).
    fn neg(self) -> Dec {
        Dec(self.0.neg())
    }
}

impl Num for Dec {
    const COUNTS_KNIFE_EDGES: bool = false;

    fn input(v: f64) -> Dec {
        if v == 0.0 {
            return Dec(D28::ZERO);
        }
        // `{:e}` prints the shortest digits that read back as `v` (at most 17), as
        // `-d.ddde-x`.
        use std::io::Write;
        assert!(v.is_finite(), "input numbers are finite");
        let mut buf = [0u8; 40];
        let mut w = &mut buf[..];
        write!(w, "{v:e}").expect("a float's shortest form fits 40 bytes");
        let len = 40 - w.len();
        let text = std::str::from_utf8(&buf[..len]).expect("ASCII");
        let (mantissa, exp) = text.split_once('e').expect("`{:e}` writes an exponent");
        let (neg, mantissa) = match mantissa.strip_prefix('-') {
            Some(m) => (true, m),
            None => (false, mantissa),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mut c = 0u128;
        for b in int.bytes().chain(frac.bytes()) {
            c = c * 10 + u128::from(b - b'0');
        }
        let exp: i32 = exp.parse().expect("`{:e}` writes an integer exponent");
        Dec(D28::from_parts(neg, c, exp - frac.len() as i32))
    }
    fn int(v: i32) -> Dec {
        Dec(D28::int(v))
    }
    fn to_f64(self) -> f64 {
        self.fast_f64()
    }
    fn abs(self) -> Dec {
        Dec(self.0.abs())
    }
    fn cmp(self, other: Dec) -> Ordering {
        self.cmp_d28(other.0)
    }
    fn times_salience_weight(self) -> Dec {
        match self.0.times_tenth_float(4) {
            Some(d) => Dec(d),
            None => self.wide(|cx, a| cx.mul(a, &FLOATS.salience_weight)),
        }
    }
    fn times_fixed_weight(self) -> Dec {
        match self.0.times_tenth_float(1) {
            Some(d) => Dec(d),
            None => self.wide(|cx, a| cx.mul(a, &FLOATS.fixed_weight)),
        }
    }
    fn minus_fixed_weight(self) -> Dec {
        self.wide(|cx, a| cx.sub(a, &FLOATS.fixed_weight))
    }
    fn cmp_tiny(self) -> Ordering {
        if !self.0.is_finite() {
            return CONTEXT
                .clone()
                .partial_cmp(&self.0.to_dec(), &FLOATS.tiny)
                .unwrap_or(Ordering::Equal);
        }
        if self.cmp_d28(FLOATS.tiny_below).is_le() {
            Ordering::Less
        } else {
            debug_assert!(self.cmp_d28(FLOATS.tiny_above).is_ge());
            Ordering::Greater
        }
    }
    fn gain_cmp(self, other: Dec) -> Ordering {
        Num::cmp(self, other)
    }
    fn tie(self, other: Dec) -> bool {
        let d = (self - other).abs();
        CONTEXT.clone().partial_cmp(&d.0.to_dec(), &FLOATS.tie) == Some(Ordering::Less)
    }
    fn near(self, other: Dec) -> bool {
        (self - other).abs().to_f64() <= super::KNIFE_EDGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec {
        Dec(D28::from_dec(&Context::<D>::default().parse(s).unwrap()))
    }

    fn same(a: Dec, b: &str) {
        assert_eq!(Num::cmp(a, d(b)), Ordering::Equal, "{a:?} vs {b}");
    }

    #[test]
    fn binary_floats_enter_with_their_exact_value_as_in_python() {
        // str(Decimal(0.4)), str(Decimal(0.1)) and str(Decimal(1e-10)) in Python.
        let wide = |w: &Wide, s: &str| {
            let mut cx = Context::<Wide>::default();
            cx.set_precision(120).unwrap();
            let want = cx.parse(s).unwrap();
            assert_eq!(
                cx.partial_cmp(w, &want),
                Some(Ordering::Equal),
                "{w} vs {s}"
            );
        };
        wide(
            &FLOATS.salience_weight,
            "0.40000000000000002220446049250313080847263336181640625",
        );
        wide(
            &FLOATS.fixed_weight,
            "0.1000000000000000055511151231257827021181583404541015625",
        );
        wide(
            &FLOATS.tiny,
            "1.0000000000000000364321973154977415791655470655996396089904010295867919921875E-10",
        );
    }

    #[test]
    fn operations_round_to_28_digits_half_even_like_python() {
        // Results computed with Python's decimal module in its default context.
        same(d("1") / d("3"), "0.3333333333333333333333333333");
        same(d("2") / d("3"), "0.6666666666666666666666666667");
        same(
            d("1.178571428571428571428571429") * d("0.25"),
            "0.2946428571428571428571428572",
        );
        same(d("-25.0") - d("5E-27"), "-25.00000000000000000000000000");
        same(d("-25.0") - d("6E-27"), "-25.00000000000000000000000001");
        same(
            d("0.3694181326116373477672530447") * d("201240874327808021954598214.6"),
            "74342027999312029761306241.67",
        );
        // (1 - 0.35) * Decimal(0.4): the float's 54 digits take part before rounding.
        same(
            (Dec::int(1) - d("0.35")).times_salience_weight(),
            "0.2600000000000000144328993201",
        );
        same(
            d("0.9").minus_fixed_weight(),
            "0.7999999999999999944488848769",
        );
    }

    #[test]
    fn products_with_decimal_of_0_1_and_0_4_equal_libdecnumber() {
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 11
        };
        for case in 0..20_000 {
            let digits = 1 + next() % 28;
            let c = u128::from(next()) * u128::from(next()) % 10u128.pow(digits as u32);
            let exp = (next() % 60) as i32 - 40;
            let neg = next() % 2 == 0;
            let x = Dec(D28::from_parts(neg, c, exp));
            for (got, w) in [
                (x.times_fixed_weight(), &FLOATS.fixed_weight),
                (x.times_salience_weight(), &FLOATS.salience_weight),
            ] {
                let want = x.wide(|cx, a| cx.mul(a, w));
                assert_eq!(
                    Num::cmp(got, want),
                    Ordering::Equal,
                    "case {case}: {x:?}: {got:?} vs {want:?}"
                );
            }
        }
    }

    #[test]
    fn comparisons_with_float_thresholds_use_the_float_exact_value() {
        assert_eq!(d("1E-10").cmp_tiny(), Ordering::Less);
        assert_eq!(
            d("1.000000000000000036432197315E-10").cmp_tiny(),
            Ordering::Less
        );
        assert_eq!(
            d("1.000000000000000036432197316E-10").cmp_tiny(),
            Ordering::Greater
        );
    }

    #[test]
    fn inputs_are_read_as_the_file_wrote_them() {
        same(Dec::input(-2.5e-7), "-2.5E-7");
        same(Dec::input(123456.789), "123456.789");
        same(Dec::input(5.960464477539063e-8), "5.960464477539063E-8");
        same(Dec::input(1e300), "1E+300");
        same(Dec::input(0.1), "0.1");
        same(Dec::input(70.0), "70");
        same(Dec::input(0.65), "0.65");
        assert_eq!(Dec::input(0.65).to_f64(), 0.65);
        same(Dec::input(1e-7), "1E-7");
    }
}

thread_local! {
    static UNSURE: Cell<bool> = const { Cell::new(false) };
}

/// Whether an [`Approx`] comparison since the last [`clear_unsure`] could not be guaranteed.
pub(crate) fn unsure() -> bool {
    UNSURE.with(Cell::get)
}

/// Forgets earlier unsure comparisons.
pub(crate) fn clear_unsure() {
    UNSURE.with(|u| u.set(false));
}

/// Marks the current step as unsure.
pub(crate) fn mark_unsure() {
    UNSURE.with(|u| u.set(true));
}

/// Relative error of one binary operation, doubled: also covers the 28-digit rounding of the
/// decimal result (5·10⁻²⁸ relative) and the rounding of the bound's own arithmetic.
const REL: f64 = f64::EPSILON;

/// A binary float `v` within `e` of the decimal decide computes for the same expression.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Approx {
    pub(crate) v: f64,
    pub(crate) e: f64,
}

impl Approx {
    /// A binary float near a decimal (exact, `e = 0`, when the decimal is a binary float of
    /// few digits, as positions and moves often are).
    pub(crate) fn of(d: Dec) -> Approx {
        let v = d.fast_f64();
        let e = if short_decimal(v) && d.is_float(v) {
            0.0
        } else {
            v.abs() * 2.0 * REL
        };
        Approx { v, e }
    }

    /// The result `v` of a binary operation on operands within `e` of decide's: exact when
    /// the operands are and `exact` says the binary operation was (then decide's decimal
    /// operation was exact too, the result having at most 28 digits).
    fn round(v: f64, e: f64, exact: impl FnOnce() -> bool) -> Approx {
        if e == 0.0 && short_decimal(v) && exact() {
            return Approx { v, e: 0.0 };
        }
        Approx {
            v,
            e: e + (v.abs() + e) * REL,
        }
    }

    /// Compares, raising [`unsure`] when the bounds overlap.
    fn certain_cmp(self, o: Approx) -> Ordering {
        let (d, m) = (self.v - o.v, 2.0 * (self.e + o.e));
        if !(d.abs() > m || (m == 0.0 && d.is_finite())) {
            mark_unsure();
        }
        self.v.partial_cmp(&o.v).unwrap_or(Ordering::Equal)
    }
}

impl Add for Approx {
    type Output = Approx;
    fn add(self, o: Approx) -> Approx {
        let s = self.v + o.v;
        Approx::round(s, self.e + o.e, || two_sum_error(self.v, o.v, s) == 0.0)
    }
}

impl Sub for Approx {
    type Output = Approx;
    fn sub(self, o: Approx) -> Approx {
        let s = self.v - o.v;
        Approx::round(s, self.e + o.e, || two_sum_error(self.v, -o.v, s) == 0.0)
    }
}

impl Mul for Approx {
    type Output = Approx;
    fn mul(self, o: Approx) -> Approx {
        let p = self.v * o.v;
        Approx::round(
            p,
            self.v.abs() * o.e + o.v.abs() * self.e + self.e * o.e,
            || self.v.mul_add(o.v, -p) == 0.0,
        )
    }
}

impl Div for Approx {
    type Output = Approx;
    fn div(self, o: Approx) -> Approx {
        let v = self.v / o.v;
        let room = o.v.abs() - o.e;
        let e = if room > 0.0 {
            (self.e + v.abs() * o.e) / room
        } else {
            f64::INFINITY
        };
        Approx::round(v, e, || v.mul_add(o.v, -self.v) == 0.0)
    }
}

/// The rounding error of `s = a + b` (Knuth's TwoSum).
fn two_sum_error(a: f64, b: f64, s: f64) -> f64 {
    let bb = s - a;
    (a - (s - bb)) + (b - bb)
}

/// Whether the binary float `v` is a decimal of at most 28 significant digits (it has as many
/// decimals after the point as binary digits after the point; counted generously).
fn short_decimal(v: f64) -> bool {
    if v == 0.0 {
        return true;
    }
    if !v.is_finite() || v.abs() >= 1e15 {
        return false;
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = if exp == 0 {
        bits & ((1 << 52) - 1)
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    let low = if exp == 0 { -1074 } else { exp - 1075 } + mantissa.trailing_zeros() as i32;
    // Digits of the integer part: how many of 1, 10, 100, … (exact binary floats) are ≤ |v|.
    const POW10: [f64; 15] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
    ];
    let a = v.abs();
    let int_digits = POW10.iter().take_while(|&&p| p <= a).count() as i32;
    int_digits + (-low).max(0) <= 28
}

impl Neg for Approx {
    type Output = Approx;
    fn neg(self) -> Approx {
        Approx {
            v: -self.v,
            e: self.e,
        }
    }
}

impl Num for Approx {
    const COUNTS_KNIFE_EDGES: bool = false;

    /// The file's decimal is the shortest that reads back as `v`: within half an ulp of it,
    /// and `v` itself only when `v` is that decimal (`2⁻²⁴` is read as `5.960464477539063E-8`).
    fn input(v: f64) -> Approx {
        Approx {
            v,
            e: if short_decimal(v) && Dec::input(v).is_float(v) {
                0.0
            } else {
                v.abs() * REL / 2.0
            },
        }
    }
    fn int(v: i32) -> Approx {
        Approx {
            v: f64::from(v),
            e: 0.0,
        }
    }
    fn to_f64(self) -> f64 {
        self.v
    }
    fn abs(self) -> Approx {
        Approx {
            v: self.v.abs(),
            e: self.e,
        }
    }
    fn cmp(self, other: Approx) -> Ordering {
        self.certain_cmp(other)
    }
    /// `0.4` is exactly `Decimal(0.4)`: the same binary float.
    fn times_salience_weight(self) -> Approx {
        self * Approx { v: 0.4, e: 0.0 }
    }
    fn times_fixed_weight(self) -> Approx {
        self * Approx { v: 0.1, e: 0.0 }
    }
    fn minus_fixed_weight(self) -> Approx {
        self - Approx { v: 0.1, e: 0.0 }
    }
    fn cmp_tiny(self) -> Ordering {
        self.certain_cmp(Approx { v: 1e-10, e: 0.0 })
    }
    fn gain_cmp(self, other: Approx) -> Ordering {
        self.certain_cmp(other)
    }
    fn tie(self, other: Approx) -> bool {
        let d = (self - other).abs();
        d.certain_cmp(Approx { v: 1e-20, e: 0.0 }) == Ordering::Less
    }
    fn near(self, _other: Approx) -> bool {
        false
    }
}
