import Yams

/// The schema of `ledgerdrop.yml`, section by section.
extension YAMLReader {
    mutating func configuration(_ root: Node) -> Configuration {
        var c = Configuration()
        let f = fields(root, "the configuration", known: ["spool", "minFileAge", "expensify", "x3", "posting", "mapping", "companies"])
        if let spool = f["spool"] {
            var path = ""
            string(spool, "spool", into: &path)
            c.spool = path.isEmpty ? nil : path
        }
        duration(f["minFileAge"], "minFileAge", into: &c.minFileAge)
        if let node = f["expensify"] { c.expensify = expensify(node) }
        if let node = f["x3"] { c.x3 = x3(node) } else if case .mapping = root { fail(root, "missing required value x3 (at least x3.site and x3.entryType)") }
        if let node = f["posting"] { c.posting = posting(node, x3: c.x3) }
        if let node = f["mapping"] { c.mapping = mapping(node) }
        if let node = f["companies"] { c.companies = companies(node, over: c) }
        return c
    }

    mutating func expensify(_ node: Node) -> Configuration.Expensify {
        var e = Configuration.Expensify()
        let f = fields(node, "expensify", known: ["url", "reportStates", "policies", "lookback", "schedule",
                                                  "rateLimit", "retries", "backoff", "timeout", "downloadPoll", "downloadTimeout", "redirects"])
        choice(f["redirects"], "expensify.redirects (none | same-host)", into: &e.redirects)
        string(f["url"], "expensify.url", into: &e.url)
        strings(f["reportStates"], "expensify.reportStates", into: &e.reportStates)
        for state in e.reportStates where !["APPROVED", "REIMBURSED", "ARCHIVED", "CLOSED"].contains(state) {
            fail(f["reportStates"]!, "expensify.reportStates: \"\(state)\" is not a state of an approved report (APPROVED, REIMBURSED, ARCHIVED, CLOSED)")
        }
        strings(f["policies"], "expensify.policies", into: &e.policies)
        duration(f["lookback"], "expensify.lookback", into: &e.lookback)
        int(f["retries"], "expensify.retries", range: 0...100, into: &e.retries)
        duration(f["backoff"], "expensify.backoff", into: &e.backoff)
        duration(f["timeout"], "expensify.timeout", into: &e.timeout)
        duration(f["downloadPoll"], "expensify.downloadPoll", into: &e.downloadPoll)
        duration(f["downloadTimeout"], "expensify.downloadTimeout", into: &e.downloadTimeout)
        if let limits = f["rateLimit"] {
            var texts: [String] = []
            strings(limits, "expensify.rateLimit", into: &texts)
            let parsed = texts.compactMap(Configuration.RequestLimit.init)
            if parsed.count == texts.count, !parsed.isEmpty { e.rateLimits = parsed } else {
                fail(limits, "expensify.rateLimit must list limits such as [\"5/10s\", \"20/60s\"]")
            }
        }
        if e.url.isEmpty || !(e.url.hasPrefix("https://") || e.url.hasPrefix("http://")), let url = f["url"] {
            fail(url, "expensify.url must be an http:// or https:// URL")
        }
        if let schedule = f["schedule"] {
            var text = ""
            string(schedule, "expensify.schedule", into: &text)
            if let parsed = Schedule(text) { e.schedule = parsed } else {
                fail(schedule, "expensify.schedule must be \"every 15m\", \"daily HH:MM\" or \"weekly mon HH:MM\", not \"\(text)\"")
            }
        }
        return e
    }

    mutating func x3(_ node: Node) -> Configuration.X3 {
        var x = Configuration.X3()
        let f = fields(node, "x3", known: [
            "api", "url", "endpoint", "auth", "tokenURL", "tokenLifetime", "site", "entryType", "journal",
            "soap", "graphql", "import", "documentType", "entryStatus", "openPeriods", "caFile", "timeout", "concurrency", "rateLimit", "retries",
            "backoff", "redirects", "lookup", "handoff",
        ])
        choice(f["redirects"], "x3.redirects (none | same-host)", into: &x.redirects)
        choice(f["api"], "x3.api (import | soap | graphql | file)", synonyms: ["api1": .soap], into: &x.api)
        choice(f["lookup"], "x3.lookup (auto | reference | fingerprint)", into: &x.lookup)
        string(f["url"], "x3.url", into: &x.url)
        string(f["endpoint"], "x3.endpoint", into: &x.endpoint)
        choice(f["auth"], "x3.auth (connected-app | oauth2 | basic)", into: &x.auth)
        string(f["tokenURL"], "x3.tokenURL", into: &x.tokenURL)
        duration(f["tokenLifetime"], "x3.tokenLifetime", into: &x.tokenLifetime)
        required(f["site"], "x3.site", in: node, into: &x.site)
        required(f["entryType"], "x3.entryType", in: node, into: &x.entryType)
        string(f["journal"], "x3.journal", into: &x.journal)
        string(f["documentType"], "x3.documentType", into: &x.documentType)
        choice(f["entryStatus"], "x3.entryStatus (final | temporary)", into: &x.entryStatus)
        if let periods = f["openPeriods"] { x.openPeriods = openPeriods(periods) }
        if let layout = f["import"] { x.importLayout = importLayout(layout) }
        if let handoff = f["handoff"] {
            let h = fields(handoff, "x3.handoff", known: ["folder"])
            string(h["folder"], "x3.handoff.folder", into: &x.handoffFolder)
        }
        if x.api == .file, x.handoffFolder.isEmpty { fail(f["api"] ?? node, "x3.api file needs x3.handoff.folder: the folder X3 loads the import files from") }
        string(f["caFile"], "x3.caFile", into: &x.caFile)
        duration(f["timeout"], "x3.timeout", into: &x.timeout)
        int(f["concurrency"], "x3.concurrency", range: 1...256, into: &x.concurrency)
        int(f["retries"], "x3.retries", range: 0...100, into: &x.retries)
        duration(f["backoff"], "x3.backoff", into: &x.backoff)
        if let rate = f["rateLimit"] {
            var text = ""
            string(rate, "x3.rateLimit", into: &text)
            if let value = ExactDecimal(Substring(text)), value.significand > 0 { x.rateLimit = value } else if !text.isEmpty {
                fail(rate, "x3.rateLimit must be a positive number of requests per second")
            }
        }
        if x.auth == .basic, x.api == .graphql, f["auth"] != nil { fail(f["auth"]!, "x3.auth basic goes with the web-service routes (import, soap); graphql uses connected-app or oauth2") }
        // The web services (SOAP save and AOWSIMPORT run) take a Classic pool user and password.
        if x.api != .graphql, f["auth"] == nil { x.auth = .basic }
        if x.api == .soap || x.api == .import, x.auth != .basic { fail(f["auth"] ?? node, "x3.api \(x.api.rawValue) uses x3.auth basic") }
        if let soap = f["soap"] { self.soap(soap, into: &x.soap) }
        if let graphql = f["graphql"] { self.graphql(graphql, into: &x) }
        return x
    }

    /// `x3.openPeriods: [{ from: 2026-11-01, to: 2026-12-31 }, …]`.
    mutating func openPeriods(_ node: Node) -> OpenPeriods {
        guard case .sequence(let items) = node else {
            fail(node, "x3.openPeriods must be a list of { from: yyyy-MM-dd, to: yyyy-MM-dd }")
            return OpenPeriods([])
        }
        var ranges: [OpenPeriods.Range] = []
        for item in items {
            let r = fields(item, "x3.openPeriods entry", known: ["from", "to"])
            var from = "", to = ""
            required(r["from"], "from", in: item, into: &from)
            required(r["to"], "to", in: item, into: &to)
            guard !from.isEmpty, !to.isEmpty else { continue }
            guard let first = Day(from), from.count == 10, let last = Day(to), to.count == 10, first <= last else {
                fail(item, "x3.openPeriods entry needs from and to as yyyy-MM-dd, from not after to")
                continue
            }
            ranges.append(.init(from: first, to: last))
        }
        return OpenPeriods(ranges)
    }

    mutating func posting(_ node: Node, x3: Configuration.X3) -> Configuration.Posting {
        var p = Configuration.Posting()
        let f = fields(node, "posting", known: ["date", "currency", "description", "lineDescription", "offsetDescription", "offset", "totalCheck", "closedPeriod"])
        choice(f["date"], "posting.date (expense | approved | submitted)", into: &p.date)
        choice(f["currency"], "posting.currency (report | expense)", into: &p.currency)
        string(f["description"], "posting.description", into: &p.description)
        string(f["lineDescription"], "posting.lineDescription", into: &p.lineDescription)
        string(f["offsetDescription"], "posting.offsetDescription", into: &p.offsetDescription)
        choice(f["totalCheck"], "posting.totalCheck (fail | warn | off)", into: &p.totalCheck)
        choice(f["closedPeriod"], "posting.closedPeriod (fail | next-open)", into: &p.closedPeriod)
        // next-open needs the periods from somewhere: never a guess.
        if p.closedPeriod == .nextOpen, x3.openPeriods == nil, x3.url.isEmpty, let choice = f["closedPeriod"] {
            fail(choice, "posting.closedPeriod next-open needs the open periods: x3.url (X3's periods are read through its GraphQL API) or x3.openPeriods")
        }
        if let offsetNode = f["offset"] {
            let o = fields(offsetNode, "posting.offset", known: ["reimbursable", "nonReimbursable"])
            p.offset.reimbursable = offset(o["reimbursable"], "posting.offset.reimbursable", in: offsetNode)
            p.offset.nonReimbursable = offset(o["nonReimbursable"], "posting.offset.nonReimbursable", in: offsetNode)
        }
        return p
    }

    /// An offset; over `base` (a company's overlay), each key given replaces the base's.
    mutating func offset(_ node: Node?, _ name: String, in parent: Node, over base: Configuration.Offset? = nil) -> Configuration.Offset {
        var offset = base ?? Configuration.Offset(account: "", businessPartner: "")
        guard let node else {
            if base == nil { fail(parent, "missing required value \(name)") }
            return offset
        }
        let perCard = name.hasSuffix("nonReimbursable")
        let f = fields(node, name, known: ["account", "businessPartner", "controlAccount"] + (perCard ? ["perTransaction"] : []))
        if base == nil || f["account"] != nil { required(f["account"], "\(name).account", in: node, into: &offset.account) }
        string(f["businessPartner"], "\(name).businessPartner", into: &offset.businessPartner)
        string(f["controlAccount"], "\(name).controlAccount", into: &offset.controlAccount)
        bool(f["perTransaction"], "\(name).perTransaction", into: &offset.perTransaction)
        return offset
    }

    mutating func mapping(_ node: Node, over base: Configuration.Mapping = .init(), name prefix: String = "mapping") -> Configuration.Mapping {
        var m = base
        let f = fields(node, prefix, known: ["useExpensifyGLCodes", "costCenterDimension", "categories", "tags", "commentPatterns", "employees", "defaults", "taxes",
                                                          "accountTaxCodes", "employeeFallback"])
        bool(f["useExpensifyGLCodes"], "\(prefix).useExpensifyGLCodes", into: &m.useExpensifyGLCodes)
        string(f["costCenterDimension"], "\(prefix).costCenterDimension", into: &m.costCenterDimension)
        if let categories = f["categories"] {
            for (name, _, value) in entries(categories, "\(prefix).categories") {
                var rule = Configuration.AccountRule()
                let r = fields(value, "\(prefix).categories.\(name)", known: ["account", "costCenter", "dimensions", "recoverableTax"])
                string(r["account"], "\(prefix).categories.\(name).account", into: &rule.account)
                bool(r["recoverableTax"], "\(prefix).categories.\(name).recoverableTax", into: &rule.recoverableTax)
                string(r["costCenter"], "\(prefix).categories.\(name).costCenter", into: &rule.costCenter)
                dimensions(r["dimensions"], "\(prefix).categories.\(name).dimensions", into: &rule.dimensions)
                m.categories[name] = rule
            }
        }
        if let tags = f["tags"] {
            for (name, _, value) in entries(tags, "\(prefix).tags") {
                m.tags[name] = dimensionRule(value, "\(prefix).tags.\(name)")
            }
        }
        if let patterns = f["commentPatterns"] { m.commentPatterns = commentPatterns(patterns) }
        if let employees = f["employees"] {
            for (email, _, value) in entries(employees, "\(prefix).employees") {
                var rule = Configuration.EmployeeRule()
                let r = fields(value, "\(prefix).employees.\(email)", known: ["businessPartner", "costCenter", "dimensions"])
                string(r["businessPartner"], "\(prefix).employees.\(email).businessPartner", into: &rule.businessPartner)
                string(r["costCenter"], "\(prefix).employees.\(email).costCenter", into: &rule.costCenter)
                dimensions(r["dimensions"], "\(prefix).employees.\(email).dimensions", into: &rule.dimensions)
                m.employees[email.lowercased()] = rule
            }
        }
        if let defaults = f["defaults"] { m.defaults = dimensionRule(defaults, "\(prefix).defaults") }
        if let taxes = f["taxes"] {
            for (code, _, value) in entries(taxes, "\(prefix).taxes") {
                var rule = Configuration.TaxRule(account: "")
                let r = fields(value, "\(prefix).taxes.\(code)", known: ["account", "code"])
                required(r["account"], "\(prefix).taxes.\(code).account", in: value, into: &rule.account)
                string(r["code"], "\(prefix).taxes.\(code).code", into: &rule.code)
                m.taxes[code] = rule
            }
        }
        if let codes = f["accountTaxCodes"] {
            for (account, _, value) in entries(codes, "\(prefix).accountTaxCodes") {
                string(value, "\(prefix).accountTaxCodes.\(account)", into: &m.accountTaxCodes[account, default: ""])
            }
        }
        choice(f["employeeFallback"], "\(prefix).employeeFallback (none | payrollID)", into: &m.employeeFallback)
        return m
    }

    mutating func dimensionRule(_ node: Node, _ name: String) -> Configuration.DimensionRule {
        var rule = Configuration.DimensionRule()
        let r = fields(node, name, known: ["costCenter", "dimensions"])
        string(r["costCenter"], "\(name).costCenter", into: &rule.costCenter)
        dimensions(r["dimensions"], "\(name).dimensions", into: &rule.dimensions)
        return rule
    }

    mutating func commentPatterns(_ node: Node) -> [Configuration.CommentPattern] {
        if case .scalar(let s) = node, s.isNull { return [] }
        guard case .sequence(let sequence) = node else {
            fail(node, "mapping.commentPatterns must be a list of { pattern, dimension }")
            return []
        }
        var result: [Configuration.CommentPattern] = []
        for item in sequence {
            let p = fields(item, "mapping.commentPatterns entry", known: ["pattern", "dimension"])
            var source = ""
            var dimension = ""
            required(p["pattern"], "pattern", in: item, into: &source)
            required(p["dimension"], "dimension", in: item, into: &dimension)
            guard !source.isEmpty, !dimension.isEmpty else { continue }
            do {
                result.append(Configuration.CommentPattern(source: source, regex: try Regex(source), dimension: dimension))
            } catch {
                fail(p["pattern"]!, "pattern \"\(source)\" is not a valid regular expression: \(error)")
            }
        }
        return result
    }
}
