import HuddleQR
import Testing

@Suite struct ReedSolomonTests {
    @Test func theFieldIsBuiltOnTheQRPolynomial() {
        // α⁸ = x⁴ + x³ + x² + 1 reduces by 0x11D; α has order 255.
        #expect(GaloisField.power(8) == 0x1D)
        #expect(GaloisField.power(255) == 1)
        #expect(Set((0..<255).map(GaloisField.power)).count == 255, "α generates every non-zero element")
        for value in UInt8(1)...255 {
            let inverse = GaloisField.power(255 - GaloisField.logarithm(value))
            #expect(GaloisField.multiply(value, inverse) == 1)
        }
    }

    /// Annex A lists the generator polynomials by the logarithms of their coefficients.
    @Test func generatorPolynomialsMatchAnnexA() {
        let logs = { (degree: Int) in ReedSolomon.generator(degree: degree).map(GaloisField.logarithm) }
        #expect(logs(7) == [0, 87, 229, 146, 149, 238, 102, 21])
        #expect(logs(10) == [0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45])
    }

    /// The worked example of Annex I: "01234567" in version 1-M.
    @Test func errorCorrectionOfTheStandardsExample() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ec = ReedSolomon.remainder(of: data, generator: ReedSolomon.generator(degree: 10))
        #expect(ec == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func aCodewordWithItsErrorCorrectionIsAMultipleOfTheGenerator() {
        let generator = ReedSolomon.generator(degree: 18)
        let data = (0..<40).map { UInt8(($0 * 37 + 11) % 256) }
        let codeword = data + ReedSolomon.remainder(of: data, generator: generator)
        // Every root αⁱ of the generator is a root of the whole codeword.
        for i in 0..<18 {
            let value = codeword.reduce(UInt8(0)) { GaloisField.multiply($0, GaloisField.power(i)) ^ $1 }
            #expect(value == 0, "α^\(i)")
        }
    }
}
