/// The commented `ledgerdrop.yml` that `ledgerdrop init` writes: every key of SPEC §4 with its
/// default, and what it means.
public enum ExampleConfiguration {
    public static let text = """
        # ledgerdrop configuration. Secrets never go here: use `ledgerdrop credentials set`.
        # Durations take ms, s, m, h or d. Unknown keys are refused with their line and column.

        spool: .                       # the spool folder (relative to this file)
        minFileAge: 2s                 # files younger than this are left alone (copies in progress)

        expensify:
          url: https://integrations.expensify.com/Integration-Server/ExpensifyIntegrations
          reportStates: [APPROVED, REIMBURSED]
          policies: []                 # policy IDs to fetch; empty = all the credentials can see
          lookback: 3d                 # overlap of each fetch window with the last one
          schedule: daily 06:00        # for `ledgerdrop watch`: "every 15m", "daily HH:MM", "weekly mon HH:MM"
          # rateLimit: ["5/10s", "20/60s"]  # client-side limits, shared by every ledgerdrop on this spool
          # retries: 5                 # after a 429 (waits out the longest window), a 5xx or a lost connection
          # backoff: 2s                # first delay after a 5xx or a lost connection; doubles each retry
          # timeout: 60s
          # downloadPoll: 2s           # first wait while Expensify renders the export; doubles…
          # downloadTimeout: 2m        # …for at most this long in all

        x3:
          api: import                  # import | soap | graphql   ("api1" is a synonym of soap); import works on
                                       # every stock X3: records through AOWSIMPORT (docs/x3-setup.md)
          url: https://x3.acme.example:8124
          endpoint: SEED               # the X3 folder / Syracuse endpoint
          auth: basic                  # import, soap: basic (a Classic SOAP pool user); graphql: connected-app | oauth2
          lookup: auto                 # how an entry is found again: auto | reference | fingerprint
                                       # (auto: the stock journalEntry query on the import route, the report ID otherwise)
          tokenURL: https://x3.acme.example:8124/oauth/token   # oauth2 only
          tokenLifetime: 300s          # connected-app JWT lifetime
          site: FR011                  # required: the X3 site (FCY) of every entry
          entryType: ODT               # required: the X3 journal entry type
          journal: ""                  # optional
          soap:
            poolAlias: LEDGERDROP
            publicName: YGAS           # the web-service publication of object GAS
            language: ENG
            # lookupKey: BPRVCR        # the header field query finds the report ID in (default: the layout's {sourceDocument})
            # layout:                  # the object XML of your publication: read it with getDescription (docs/x3-setup.md)
            #   groups:                # header groups, each field → a literal or placeholders (SPEC §13.2)
            #     HAE0_1: { FCY: "{site}", TYP: "{entryType}", NUM: "", ACCDAT: "{accountingDate}" }
            #     HAE0_2: { JOU: "{journal}", CAT: "1", STA: "{status}" }
            #     HAE1_1: { DESVCR: "{description}" }
            #     HAE1_3: { BPRVCR: "{sourceDocument}", BPRDATVCR: "{sourceDate}" }
            #     HAE1_5: { RATDAT: "{accountingDate}", CUR: "{currency}" }
            #   table: HAE2_1            # the line table, one LIN per line
            #   lines: { FCYLIN: "{line.site}", ACC1: "{line.account}", BPR: "{line.businessPartner}", DEB: "{line.debit}", CDT: "{line.credit}", DES: "{line.description}", TAX: "{line.tax}" }
            #   dimensions: { CCE1: CCT, CCE2: PRJ }   # column → dimension type, as the entry transaction (GESGDE) fixes them
          # graphql:                 # the graphql route: your X3 Builder operation (GESAPIOPE) and its variables
          #   mutation: "mutation YPostEntry($input: YJournalEntry_Input!) { … createJournalEntry(input: $input) { journalEntryNumber } … }"
          #   numberField: journalEntryNumber   # where its answer holds the new entry's number
          #   variables:               # without it: SPEC §5.1's shape; the list item is repeated per line
          #     input:
          #       site: "{site}"
          #       accountingDate: "{accountingDate}"
          #       sourceCurrency: "{currency}"
          #       reference: "{reference}"
          #       lines:
          #         - { account: "{line.account}", debit: "{line.debit}", credit: "{line.credit}", taxCode: "{line.tax}", dimensions: { CCT: "{line.dimension.CCT}" } }
          # documentType: STDCO        # {documentType} of the layouts (DACDIA)
          # entryStatus: final         # {status}: final (2) | temporary (1)
          # openPeriods:               # the open periods, where X3's cannot be read (posting.closedPeriod)
          #   - { from: 2026-11-01, to: 2026-12-31 }
          # import:                    # the G/D/A records of your import template (a copy of GAS, GESAOE);
          #                            # export one hand-keyed entry with GESAEX and copy its layout here.
          #   template: YLDGAS
          #   publicName: AOWSIMPORT
          #   poolAlias: ""            # the Classic SOAP pool for imports; empty: x3.soap.poolAlias
          #   records:                 # placeholders: SPEC §13.2 ({site}, {line.account}, {line.dimension.CCT}, …)
          #     header: "G;{entryType};;{site};{journal};{accountingDate};{documentType};{currency};{description};{sourceDocument};{reference}"
          #     line: "D;{line.number};{line.ledgerType};{line.number};{line.site};{line.controlAccount};;;{line.account};{line.businessPartner};{line.sign};{currency};{line.amount};{line.description};{line.tax};"
          #     analytics: "A;{line.number};CCT;{line.dimension.CCT};PRJ;{line.dimension.PRJ};{line.amount};{line.quantity};{line.sign}"
          #   dimensions: [CCT, PRJ]   # the analytics record's slots, when it is not written out
          #   fieldSeparator: ";"
          #   decimalSeparator: "."
          #   dateFormat: DDMMYYYY     # DD, MM, YYYY or YY, anything else as written
          #   encoding: utf-8          # utf-8 | iso-8859-1 (a character it cannot hold becomes "?")
          #   lineEnding: crlf         # crlf | lf
          #   ledgerTypes: ["1"]       # one D record per ledger type listed
          timeout: 30s
          concurrency: 4               # payloads posted at once
          retries: 5                   # attempts after the first, for retryable failures
          backoff: 2s                  # first delay; doubles each retry, with jitter, capped at 5m

        posting:
          date: expense                # expense (one entry per expense date) | approved | submitted
          currency: report             # report | expense (one entry per currency)
          description: "{reportName}"  # entry text; placeholders: reportID reportName merchant category comment employee
          lineDescription: "{merchant}"  # expense line text, same placeholders
          offsetDescription: "{reportID} {employee}"  # offset line text; the report ID is kept whole (the lookup finds entries by it)
          offset:
            # controlAccount: the control-account code (SAC) X3 needs on a collective account's
            # lines (import records); the BP's accounting code must point to it.
            reimbursable:    { account: "421000", businessPartner: "{employee}", controlAccount: EMP }
            nonReimbursable: { account: "467100" }   # perTransaction: true -> one line per card payment
          totalCheck: fail             # each report against its Expensify total: fail (TOTAL_MISMATCH) | warn | off
          closedPeriod: fail           # an entry dated in a closed period: fail (PERIOD_CLOSED) | next-open (the first
                                       # day of the next open period, read from X3 or from x3.openPeriods)

        mapping:
          useExpensifyGLCodes: true    # fall back to the category's GL code from Expensify
          costCenterDimension: CCT     # the X3 dimension type that holds cost centers
          categories:                  # Expensify category -> X3 account (and cost center)
            Airfare:  { account: "625100", costCenter: "SALES" }
            Meals:    { account: "625700" }
            Mileage:  { account: "625110", costCenter: "FLEET" }
          tags:                        # Expensify tag -> X3 dimensions
            PRJ-0042: { dimensions: { PRJ: "PRJ-0042" }, costCenter: "CONSULT" }
          commentPatterns:             # a project code written in the expense comment
            - { pattern: "PRJ-[0-9]{4}", dimension: PRJ }
          employees:                   # Expensify email -> X3 business partner and default cost center
            jane.doe@acme.example: { businessPartner: "EMP0042", costCenter: "SALES" }
          employeeFallback: none       # an employee without businessPartner: none (UNMAPPED_EMPLOYEE) | payrollID
          defaults:
            costCenter: ""             # empty: no cost center unless mapped
          taxes:                       # Expensify tax code or name -> X3 account for recoverable tax, and X3's tax code
            FR-VAT-20: { account: "445660", code: "FRA20" }
          # accountTaxCodes:           # the tax code of an expense line on an account when its tax gives none
          #   "625700": "FRA20"
          # categories.<name>.recoverableTax: false keeps the whole gross (tax code kept) on the expense
          # account: VAT on staff lodging or passenger transport, foreign VAT.

        # companies:                   # several legal entities: each Expensify policy's reports on its own site
        #   FR:                        # the name receipts, audit lines, status and audit --by company use
        #     policyIDs: ["F0D3B1A2C4E5F607"]   # and/or policyNames: ["Acme EU"] (looked up when fetching)
        #     site: FR011
        #     currencies: [EUR]        # the entry currencies it takes; empty: any
        #   US:
        #     policyNames: ["Acme US"]
        #     site: US011
        #     entryType: ODT           # default x3.entryType; journal: default x3.journal
        #     mapping:                 # over the top-level mapping, key by key (categories, tags,
        #       categories:            # employees, taxes, accountTaxCodes, defaults…)
        #         Meals: { account: "625710" }
        #     offset:                  # over posting.offset, field by field
        #       reimbursable: { account: "421100", controlAccount: EMU }
        # With companies, a report of a policy no company lists is UNMAPPED_POLICY.
        """
}
