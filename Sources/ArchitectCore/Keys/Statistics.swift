// Statistics for key distributions: chi-square test of uniformity, its power, and inequality measures.
// Implemented here (no dependency) from the standard series and continued-fraction expansions.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

public enum Statistics {
    /// ln Γ(x) (Lanczos approximation, g = 7, n = 9), accurate to ~15 digits for x > 0.
    public static func logGamma(_ x: Double) -> Double {
        let g = 7.0
        let c: [Double] = [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ]
        if x < 0.5 { return log(Double.pi / abs(sin(Double.pi * x))) - logGamma(1 - x) }
        let x = x - 1
        var a = c[0]
        let t = x + g + 0.5
        for i in 1..<9 { a += c[i] / (x + Double(i)) }
        return 0.5 * log(2 * Double.pi) + (x + 0.5) * log(t) - t + log(a)
    }

    /// Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a).
    public static func gammaQ(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x < a + 1 {
            // Series for P, then Q = 1 − P.
            var sum = 1 / a
            var term = sum
            var ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return max(0, 1 - sum * exp(-x + a * log(x) - logGamma(a)))
        }
        // Continued fraction (modified Lentz) for Q.
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return min(1, exp(-x + a * log(x) - logGamma(a)) * h)
    }

    /// P(χ²(df) > x): the p-value of a chi-square statistic.
    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom df: Double) -> Double {
        gammaQ(df / 2, x / 2)
    }

    /// The x with P(χ²(df) > x) = p, by bisection.
    public static func chiSquareCritical(p: Double, degreesOfFreedom df: Double) -> Double {
        var lo = 0.0
        var hi = max(10.0, df * 10 + 100)
        while chiSquareSurvival(hi, degreesOfFreedom: df) > p { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if chiSquareSurvival(mid, degreesOfFreedom: df) > p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// Power of the chi-square test: P(χ'²(df, λ) > critical), by Patnaik's approximation of the
    /// noncentral chi-square as a scaled central one.
    public static func chiSquarePower(noncentrality lambda: Double, degreesOfFreedom df: Double, alpha: Double)
        -> Double
    {
        chiSquarePower(
            noncentrality: lambda, degreesOfFreedom: df, critical: chiSquareCritical(p: alpha, degreesOfFreedom: df))
    }

    /// The same with the test's critical value already known.
    static func chiSquarePower(noncentrality lambda: Double, degreesOfFreedom df: Double, critical: Double) -> Double {
        let scale = (df + 2 * lambda) / (df + lambda)
        let dfStar = (df + lambda) * (df + lambda) / (df + 2 * lambda)
        return chiSquareSurvival(critical / scale, degreesOfFreedom: dfStar)
    }

    /// Messages needed for the chi-square test to detect, with the given power, one partition
    /// receiving (1 + skew) × its fair share: λ = N × skew² ÷ (n − 1).
    public static func sampleSizeToDetect(skew: Double, partitions n: Int, alpha: Double = 0.05, power: Double = 0.8)
        -> Double
    {
        guard n > 1, skew > 0 else { return .infinity }
        let df = Double(n - 1)
        let critical = chiSquareCritical(p: alpha, degreesOfFreedom: df)
        var lo = 0.0
        var hi = 1.0
        while chiSquarePower(noncentrality: hi, degreesOfFreedom: df, critical: critical) < power { hi *= 2 }
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if chiSquarePower(noncentrality: mid, degreesOfFreedom: df, critical: critical) < power {
                lo = mid
            } else {
                hi = mid
            }
        }
        return (hi * df / (skew * skew)).rounded(.up)
    }

    /// Gini coefficient of non-negative loads: 0 perfectly even, → 1 all on one.
    public static func gini(_ values: [Double]) -> Double {
        let n = Double(values.count)
        let total = values.reduce(0, +)
        guard n > 0, total > 0 else { return 0 }
        let sorted = values.sorted()
        var weighted = 0.0
        for (i, v) in sorted.enumerated() { weighted += (2 * Double(i + 1) - n - 1) * v }
        return weighted / (n * total)
    }

    /// Coefficient of variation (population standard deviation ÷ mean).
    public static func coefficientOfVariation(_ values: [Double]) -> Double {
        let n = Double(values.count)
        guard n > 0 else { return 0 }
        let mean = values.reduce(0, +) / n
        guard mean > 0 else { return 0 }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return variance.squareRoot() / mean
    }

    /// Pearson's chi-square statistic against a uniform expectation.
    public static func chiSquareUniform(_ observed: [Double]) -> Double {
        let total = observed.reduce(0, +)
        guard !observed.isEmpty, total > 0 else { return 0 }
        let expected = total / Double(observed.count)
        return observed.reduce(0) { $0 + ($1 - expected) * ($1 - expected) / expected }
    }
}
