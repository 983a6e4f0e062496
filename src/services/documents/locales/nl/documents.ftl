# Documenten: domeinrapport, los rapport. Dezelfde sleutels als de Engelse catalogus.

## Hoe getallen en datums geschreven worden

format-thousands-separator = {"."}
format-decimal-separator = {","}
format-percent = { $value } %
format-date = { $day } { $month } { $year }
format-date-time = { $date }, { $time } UTC
format-short-date = { $day } { $month }
month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december
month-short-1 = jan
month-short-2 = feb
month-short-3 = mrt
month-short-4 = apr
month-short-5 = mei
month-short-6 = jun
month-short-7 = jul
month-short-8 = aug
month-short-9 = sep
month-short-10 = okt
month-short-11 = nov
month-short-12 = dec
value-none = –
value-not-reported = niet gerapporteerd

## Paginakader

footer-support = Vragen? Neem contact op via { $contact }.
footer-generated = Gemaakt op { $date } door { $brand }.
period = { $from } tot en met { $to } ({ $days ->
    [one] 1 dag
   *[other] { $days } dagen
})
file-domain-report = domeinrapport
file-report = rapport

## Domeinrapport

domain-report-title = E-mailauthenticatierapport voor { $domain }
section-summary = Samenvatting
figure-messages = Berichten
figure-dmarc-pass-rate = DMARC-slagingspercentage
figure-policy = Gepubliceerd beleid
figure-tls-success-rate = TLS-slagingspercentage
summary-policy = Ontvangers vonden dit DMARC-beleid: { $record }.
summary-no-policy = Geen rapport uit deze periode vermeldt het DMARC-beleid dat het domein publiceert.
summary-no-reports = Over deze periode is geen rapport ontvangen. Verwachtte u die wel, controleer dan of de DMARC- en TLS-RPT-records van het domein hun rapporten nog hierheen sturen.
policy-none = alleen monitoren (none)
policy-quarantine = quarantaine
policy-reject = weigeren
change-against-previous = { $change } ten opzichte van de { $days ->
    [one] vorige dag
   *[other] vorige { $days } dagen
}
change-points-against-previous = { $change } procentpunt ten opzichte van de { $days ->
    [one] vorige dag
   *[other] vorige { $days } dagen
}

section-trend = Verloop per dag
chart-trend-title = Berichten per dag, geslaagd en niet geslaagd voor DMARC
chart-series-pass = DMARC geslaagd
chart-series-fail = DMARC niet geslaagd
chart-trend-description = Staafdiagram van het aantal berichten per dag, verdeeld in berichten die wel en niet voor DMARC slaagden; op de drukste dag waren het er { $max }.

section-dmarc-results = DMARC per resultaat
table-dmarc-results = Berichten per DMARC-resultaat, afhandeling en uitgelijnde authenticatie
result-dmarc-pass = DMARC geslaagd
result-dmarc-fail = DMARC niet geslaagd
result-disposition = Afhandeling: { $value }
result-dkim-aligned = Uitgelijnde DKIM: { $value }
result-spf-aligned = Uitgelijnde SPF: { $value }
disposition-none = afgeleverd (none)
disposition-quarantine = in quarantaine
disposition-reject = geweigerd
result-pass = geslaagd
result-fail = niet geslaagd
column-result = Resultaat
column-messages = Berichten
column-share = Aandeel
table-empty = Er is niets gerapporteerd.

section-sources = Verzendbronnen en diensten
table-sources = { $count ->
    [one] De verzendbron, naar volume
   *[other] Alle { $countText } verzendbronnen, naar volume
}
table-more-sources = … en nog { $countText } { $count ->
    [one] bron
   *[other] bronnen
} met samen { $messages } berichten.
table-more-rows = … en nog { $countText } { $count ->
    [one] rij
   *[other] rijen
}.
table-empty-sources = Er is geen verzendbron gerapporteerd.
column-source = Bronadres
column-name = Naam
column-dmarc-pass = DMARC geslaagd
column-dkim-domain = DKIM-domein
column-spf-domain = SPF-domein
column-category = Categorie
category-unknown = onbekend
category-forwarder = doorstuurder
category-email-provider = e-mailprovider
category-marketing = marketing
category-transactional = transactionele e-mail
category-crm = CRM
category-support = helpdesk
category-security-gateway = beveiligingsgateway
category-forwarder-mailing-list = doorstuurder of mailinglijst
category-hosting = hosting
category-other = andere dienst
table-services = Bronnen gegroepeerd per verzenddienst
group-unconfirmed = Adressen zonder bevestigde naam
group-pending = Nog niet opgezocht
column-service = Dienst
column-sources = Bronnen

section-tls = SMTP TLS
figure-tls-sessions = TLS-sessies
figure-tls-successful = Geslaagde sessies
figure-tls-failed = Mislukte sessies
table-tls-result-types = Mislukte sessies per resultaattype
column-result-type = Resultaattype
column-failed-sessions = Mislukte sessies
table-empty-tls-failures = Er is geen mislukte sessie gerapporteerd.
table-tls-organizations = Sessies per rapporterende organisatie
column-organization = Rapporterende organisatie
column-successful-sessions = Geslaagde sessies
column-success-rate = Slagingspercentage
table-empty-tls = Over deze periode is geen TLS-rapport ontvangen.
table-tls-failures = Fouten per verzendende server en ontvangende MX
column-sending-mta = Verzendende server
column-receiving-mx = Ontvangende MX

section-issues = Openstaande problemen
issues-none = Geen openstaande problemen: niets vraagt uw aandacht.
issues-more = Meer openstaande problemen staan in het probleemoverzicht.
severity-critical = kritiek
severity-high = hoog
severity-medium = middel
severity-low = laag
severity-info = informatie
issue-remediation = Wat te doen:
issue-record = Te publiceren record:

section-readiness = Klaar voor handhaving
readiness-next-step = Volgende stap
readiness-step-no-data = Geen DMARC-rapport over deze periode
readiness-step-fix-services-first = Herstel eerst uw eigen diensten
readiness-step-review-unknown-sources = Zoek eerst uit van wie de falende mail is
readiness-step-quarantine = Klaar voor p=quarantine
readiness-step-reject = Klaar voor p=reject
readiness-step-reject-subdomains = Bescherm ook de subdomeinen (die staan op { $sp })
readiness-step-enforced = Volledig gehandhaafd: p=reject op het domein en zijn subdomeinen
readiness-summary = Van { $messagesText } { $messages ->
    [one] bericht
   *[other] berichten
} faalden er { $failing } voor DMARC. Daarvan had p=quarantine er { $quarantine } geraakt die ontvangers nog niet in quarantaine zetten of weigerden, en p=reject { $reject } die ze nog niet weigerden.
readiness-do-no-data = Controleer of het DMARC-record van het domein de geaggregeerde rapporten (rua=) hierheen stuurt.
readiness-do-fix-services-first = Houd het huidige beleid aan. Stel in elke hieronder gemarkeerde dienst DKIM-ondertekening met uw eigen domein in (en SPF waar dat helpt), en kijk dan opnieuw.
readiness-do-review-unknown-sources = Houd het huidige beleid aan. Te veel mail faalt voor DMARC vanaf afzenders die als geen enkele dienst zijn herkend: bekijk de grootste onbekende bronnen in het deel over bronnen. Neem een server van uzelf op in SPF of laat hem met DKIM ondertekenen; wat niet van u is, is wat handhaving zou tegenhouden.
readiness-do-quarantine = Publiceer p=quarantine, volg de rapporten enkele weken op legitieme mail die faalt, en ga dan naar p=reject.
readiness-do-reject = Publiceer p=reject, zodat falende mail geweigerd wordt in plaats van in de spammap te belanden.
readiness-do-reject-subdomains = Publiceer sp=reject (of verwijder sp=, zodat subdomeinen p=reject volgen).
readiness-do-enforced = Niets te publiceren. Volg de rapporten verder op nieuwe verzendende diensten.
table-readiness = Falende berichten die een strenger beleid had geraakt, per afzender
column-sender = Afzender
column-if-quarantine = Met p=quarantine
column-if-reject = Met p=reject
readiness-row-services = Uw eigen diensten
readiness-row-forwarders = Doorstuurders en mailinglijsten
readiness-row-unknown = Onbekende bronnen
readiness-row-total = Totaal
readiness-forwarders = Doorstuurders en mailinglijsten brachten { $failing } falende berichten: ontvangers accepteerden er al { $saved } als doorgestuurd; de overige { $dkim } komen alleen aan als de oorspronkelijke DKIM-handtekening het doorsturen overleeft, dus onderteken alle mail met DKIM.
table-services-to-fix = Uw diensten met mail die niet slaagt voor DMARC
column-failing-messages = Falend
column-failing-share = Aandeel falend
column-blocks-next-step = Blokkeert de volgende stap
value-yes = ja
value-no = nee

section-dns = DNS-controles
dns-none = De DNS-records van het domein zijn nog niet gecontroleerd.
dns-no-findings = geen bevindingen
dns-no-record = geen record gevonden
dns-check = Gecontroleerd op { $date }: { $verdict }. Record: { $record }
finding-error = fouten
finding-warning = waarschuwingen
finding-info = opmerkingen

## Los rapport

dmarc-report-title = DMARC-verzamelrapport van { $reporter }
tls-report-title = SMTP TLS-rapport van { $reporter }
single-report-subtitle = Over { $domain }, { $period }
report-period = { $from } tot { $to }
section-report-details = Gegevens van het rapport
meta-reporter = Rapporterende organisatie
meta-contact = Contact
meta-report-id = Rapport-ID
meta-period = Periode
meta-domain = Domein
meta-policy = Gepubliceerd beleid
meta-messages = Berichten
meta-reporter-error = Fout gemeld door de rapporteur
section-records = Records
table-records = { $count ->
    [one] Het record van het rapport
   *[other] De { $countText } records van het rapport
}
column-disposition = Afhandeling
column-dkim-aligned = Uitgelijnde DKIM
column-spf-aligned = Uitgelijnde SPF
column-header-from = Afzenderdomein
section-tls-policies = Beleid en sessies
table-tls-policies = Sessies per beleid
column-policy-type = Beleidstype
column-policy-domain = Beleidsdomein
column-policy-mode = Modus
column-mx = MX-hosts
table-tls-failure-details = Foutdetails
column-receiving-ip = Ontvangend adres
column-reason = Reden
section-warnings = Het rapport lezen
warnings-none = Het rapport is gelezen zoals het verstuurd is: er was geen correctie nodig.
warning-occurrence = { $count ->
    [one] één keer
   *[other] { $countText } keer
}, bij { $path }

## Portfolio

portfolio-title = Portfolio van { $brand }
file-portfolio = portfolio
figure-domains = Domeinen
figure-needing-attention = Vragen aandacht
section-domains = Domeinen
table-domains = Alle domeinen, die aandacht vragen eerst
table-empty-domains = Er is nog geen domein geregistreerd.
column-domain = Domein
column-policy = Beleid
column-issues = Open problemen
portfolio-issues = { $urgent } kritiek of ernstig, { $other } overig
column-last-report = Laatste rapport ontvangen
column-attention = Vraagt aandacht omdat
value-not-checked = niet gecontroleerd
value-never = nooit
attention-critical-issue = er staat een kritiek of ernstig probleem open
attention-no-dmarc-policy = geen DMARC-record
attention-policy-none = beleid is none
attention-low-pass-rate = laag DMARC-slagingspercentage
attention-no-recent-report = geen recent rapport
