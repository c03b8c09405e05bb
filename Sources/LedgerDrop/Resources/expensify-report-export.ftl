<#--
  ledgerdrop's export template (SPEC §3, §7.3). Expensify's Integration Server renders it over
  every report of an export job; the result is one JSON array with one object per report, in
  the shape ledgerdrop's inbox reads. Strings go through ?json_string, numbers through ?c,
  booleans through ?string("true","false"); IDs are always strings (a transactionID exceeds
  2^53); a missing value is "" (text) or null (numbers, booleans), which the reader treats as
  absent. The brackets sit outside the list, so an export with no reports is "[]", never an
  empty file (an empty download means "not rendered yet").
-->
<#function s value>
  <#if value?is_number><#return '"' + value?c + '"'>
  <#elseif value?is_boolean><#return '"' + value?string("true", "false") + '"'>
  <#elseif value?is_date_like><#return '"' + value?datetime_if_unknown?string("yyyy-MM-dd HH:mm:ss") + '"'>
  <#elseif value?is_string><#return '"' + value?json_string + '"'>
  <#else><#return '""'>
  </#if>
</#function>
<#function n value>
  <#if value?is_number><#return value?c>
  <#elseif value?is_string && value?has_content><#return '"' + value?json_string + '"'>
  <#else><#return "null">
  </#if>
</#function>
<#function b value>
  <#if value?is_boolean><#return value?string("true", "false")>
  <#elseif value?is_string && (value == "true" || value == "false")><#return value>
  <#else><#return "null">
  </#if>
</#function>
[
<#list reports as report>
{
  "reportID": ${s((report.reportID)!"")},
  "oldReportID": ${s((report.oldReportID)!"")},
  "reportName": ${s((report.reportName)!"")},
  "status": ${s((report.status)!"")},
  "policyID": ${s((report.policyID)!"")},
  "policyName": ${s((report.policyName)!"")},
  "currency": ${s((report.currency)!"")},
  "total": ${n((report.total)!"")},
  "created": ${s((report.created)!"")},
  "submitted": ${s((report.submitted)!"")},
  "approved": ${s((report.approved)!"")},
  "reimbursed": ${s((report.reimbursed)!"")},
  "accountEmail": ${s((report.accountEmail)!"")},
  "submitterPayrollID": ${s((report.submitterPayrollID)!"")},
  "managerEmail": ${s((report.managerEmail)!"")},
  "transactions": [
  <#list (report.transactionList)![] as expense>
    {
      "transactionID": ${s((expense.transactionID)!"")},
      "created": ${s((expense.created)!"")},
      "modifiedCreated": ${s((expense.modifiedCreated)!"")},
      "merchant": ${s((expense.merchant)!"")},
      "modifiedMerchant": ${s((expense.modifiedMerchant)!"")},
      "amount": ${n((expense.amount)!"")},
      "modifiedAmount": ${n((expense.modifiedAmount)!"")},
      "currency": ${s((expense.currency)!"")},
      "convertedAmount": ${n((expense.convertedAmount)!"")},
      "currencyConversionRate": ${n((expense.currencyConversionRate)!"")},
      "category": ${s((expense.category)!"")},
      "categoryGlCode": ${s((expense.categoryGlCode)!"")},
      "tag": ${s((expense.tag)!"")},
      "tagGlCode": ${s((expense.tagGlCode)!"")},
      "comment": ${s((expense.comment)!"")},
      "reimbursable": ${b((expense.reimbursable)!"")},
      "billable": ${b((expense.billable)!"")},
      "taxAmount": ${n((expense.taxAmount)!"")},
      "modifiedTaxAmount": ${n((expense.modifiedTaxAmount)!"")},
      "taxCode": ${s((expense.taxCode)!"")},
      "taxName": ${s((expense.taxName)!"")},
      "receiptURL": ${s((expense.receiptObject.url)!"")}
    }<#if expense_has_next>,</#if>
  </#list>
  ]
}<#if report_has_next>,</#if>
</#list>
]
