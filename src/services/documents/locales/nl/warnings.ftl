# Wat de rapportlezer moest verdragen, in gewone woorden (één per waarschuwingscode).

warning-gzip-trailing-data = Extra bytes na het gecomprimeerde rapport zijn genegeerd.
warning-nested-compression = Het rapport was twee keer gecomprimeerd; het is twee keer uitgepakt.
warning-invalid-characters = Tekens die ongeldig zijn in de codering van het rapport zijn vervangen.
warning-unknown-encoding = Het rapport noemde een onbekende tekencodering; UTF-8 is aangenomen.
warning-wrapper-element = Het rapport zat in een extra element, dat is overgeslagen.
warning-doctype-ignored = Een documenttypedeclaratie is genegeerd.
warning-unknown-entity = Een onbekende entiteitsverwijzing is gelaten zoals ze geschreven was.
warning-mismatched-tag = Elementen waren niet goed afgesloten; de structuur is hersteld.
warning-case-normalized = Een waarde was met ongebruikelijke hoofdletters geschreven en is als de standaardwaarde gelezen.
warning-synonym-mapped = Een niet-standaardwoord is gelezen in zijn standaardbetekenis.
warning-unknown-value = Een waarde buiten de woordenlijst van de standaard is bewaard zoals verstuurd.
warning-empty-value = Een lege waarde is behandeld als afwezig.
warning-missing-field = Een verplicht veld ontbrak.
warning-duplicate-element = Een veld dat één keer mag voorkomen, kwam opnieuw voor; het eerste is gebruikt.
warning-unknown-element = Een veld dat de standaard niet kent, is bewaard als uitbreiding.
warning-draft-schema-element = Een veld uit het conceptformaat van vóór de standaard is gelezen als zijn standaardequivalent.
warning-fractional-timestamp = Een tijd met fracties van een seconde is afgerond op hele seconden.
warning-org-name-fallback = De naam van de rapporteur ontbrak en is afgeleid van het contactadres.
warning-record-skipped = Een beschadigd record is overgeslagen.
warning-field-alias = Een veld had een andere naam of vorm en is toch gelezen.
warning-invalid-value = Een waarde lag buiten het bereik of was verkeerd opgemaakt en is weggelaten of aangepast.
warning-transfer-encoding-repaired = De overdrachtscodering van de e-mail moest worden hersteld om het rapport te lezen.
warning-count-out-of-range = Een record met een onmogelijk aantal berichten is weggelaten.
warning-blank-lines-repaired = Regels van de e-mail met alleen spaties zijn gelezen als lege regels.
