/// The FreeMarker template ledgerdrop sends with every export job (SPEC §7.3). The file is
/// `Sources/LedgerDrop/Resources/expensify-report-export.ftl`, embedded into the binary at build
/// time, so an installed `ledgerdrop` needs no resource bundle beside it.
public enum ExportTemplate {
    public static let text = String(decoding: PackageResources.expensify_report_export_ftl, as: UTF8.self)
}
