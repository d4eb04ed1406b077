extension QRCode {
    /// The modules as text, one line per row, `1` dark and `0` light, without the quiet
    /// zone: for tools and tests that compare symbols with another encoder's.
    public var matrixText: String {
        var text = ""
        text.reserveCapacity(self.size * (self.size + 1))
        for y in 0..<self.size {
            for x in 0..<self.size { text.append(self.isDark(x: x, y: y) ? "1" : "0") }
            text.append("\n")
        }
        return text
    }
}
