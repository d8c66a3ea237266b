/// Parses decimal numbers straight from bytes, without building strings (CSV hot loop).
enum CSVNumberParser {
    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (`decimalSeparator` may be `,`); nil when the
    /// bytes are not such a number. Accurate to about 1 ulp, plenty for samples and timestamps.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, decimalSeparator: UInt8 = UInt8(ascii: ".")) -> Double? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var exponent = 0
        var digits = 0
        while index < count, bytes[index] &- 0x30 < 10 {
            if mantissa < 1_000_000_000_000_000_000 {
                mantissa = mantissa * 10 + UInt64(bytes[index] &- 0x30)
            } else {
                exponent += 1  // further digits only scale
            }
            digits += 1
            index += 1
        }
        if index < count, bytes[index] == decimalSeparator {
            index += 1
            while index < count, bytes[index] &- 0x30 < 10 {
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + UInt64(bytes[index] &- 0x30)
                    exponent -= 1
                }
                digits += 1
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var negativeExponent = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                negativeExponent = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            var exponentDigits = 0
            while index < count, bytes[index] &- 0x30 < 10 {
                if value < 100_000 { value = value * 10 + Int(bytes[index] &- 0x30) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += negativeExponent ? -value : value
        }
        guard index == count else { return nil }
        var result = Double(mantissa)
        if exponent != 0 && mantissa != 0 {
            if exponent < -340 { result = 0 } else if exponent > 310 { result = .infinity } else {
                // Dividing by an exact power of ten is more accurate than multiplying by its inverse.
                result = exponent < 0 ? result / powerOfTen(-exponent) : result * powerOfTen(exponent)
            }
        }
        return negative ? -result : result
    }

    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        exponent < table.count ? table[exponent] : pow10Slow(exponent)
    }

    private static let table: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    private static func pow10Slow(_ exponent: Int) -> Double {
        var value = 1.0
        var remaining = exponent
        while remaining > 22 { value *= 1e22; remaining -= 22 }
        return value * table[remaining]
    }
}
