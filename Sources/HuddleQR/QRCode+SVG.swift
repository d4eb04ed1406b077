extension QRCode {
    /// The symbol as a standalone SVG document: a white background and one black `<path>`
    /// of the dark modules, each horizontal run of them one rectangle, on a grid of whole
    /// modules (`viewBox`) that `crispEdges` keeps sharp at any scale.
    ///
    /// Nothing from the data is written into the document, only numbers, so there is
    /// nothing to escape.
    ///
    /// - Parameters:
    ///   - moduleSize: pixels per module in the `width` and `height` attributes.
    ///   - quietZone: light modules around the symbol; the standard asks for 4.
    public func svg(moduleSize: Int = 8, quietZone: Int = 4) -> String {
        precondition(moduleSize > 0 && quietZone >= 0, "moduleSize must be positive, quietZone not negative")
        let side = self.size + 2 * quietZone
        let pixels = side * moduleSize
        var path = ""
        for y in 0..<self.size {
            var x = 0
            while x < self.size {
                guard self.isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < self.size && self.isDark(x: x, y: y) { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>

            """
    }
}
