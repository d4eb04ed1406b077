import ArgumentParser
import HuddleQR

/// `huddle qr`: a QR code of a text, as the server will draw it (the Teams app's join links),
/// for checking by eye or by another tool (Tests/system/test_qr.py compares it with a
/// reference encoder and a decoder).
struct QRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Prints a QR code of TEXT: as SVG (default) or as a matrix of 0/1 rows (--matrix).",
        discussion: """
            --matrix prints a first line `version V mask M`, then one line per row of modules, \
            1 dark and 0 light, without the quiet zone.
            """
    )

    @Argument(help: "The text to encode (its UTF-8 bytes, in byte mode).")
    var text: String

    @Option(help: "l, m, q or h: about 7, 15, 25 or 30 % of the symbol may be damaged.")
    var errorCorrection = "m"

    @Option(help: "No version below this, 1 to 40: the smallest version from it on that fits is used.")
    var minVersion = 1

    @Option(help: "The data mask, 0 to 7 (default: the one the standard's penalty rules choose).")
    var mask: Int?

    @Flag(help: "Print the modules as rows of 0 and 1 instead of SVG.")
    var matrix = false

    func run() async throws {
        guard let level = QRCode.ErrorCorrection(rawValue: self.errorCorrection.uppercased()) else {
            throw ValidationError("--error-correction must be l, m, q or h")
        }
        let code: QRCode
        do {
            code = try QRCode(text: self.text, errorCorrection: level, minimumVersion: self.minVersion, mask: self.mask)
        } catch {
            throw ValidationError(error.description)
        }
        if self.matrix {
            print("version \(code.version) mask \(code.mask)")
            print(code.matrixText, terminator: "")
        } else {
            print(code.svg(), terminator: "")
        }
    }
}
