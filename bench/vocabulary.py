"""Norwegian words for generated test and benchmark data (no Django imports, so the
benchmark scripts can use them before Django is set up)."""

VOCABULARY = """kommune kommunen kommunene arkiv arkivet arkivene sak saken sakene system systemet
systemene migrering migreringen sammenslåing sammenslåingen leverandør leverandøren
leverandørene avtale avtalen avtaler anskaffelse anskaffelsen kravspesifikasjon lønn
lønnssystem personal økonomi faktura regnskap budsjett helse omsorg skole barnehage
barnevern matrikkel grunnbok kart geodata plan byggesak vann avløp renovasjon drift
server servere nettverk sky skyen lagring backup sikkerhet tilgang tilganger personvern
innsyn innbygger innbyggere selvbetjening skjema skjemaer portal nettside integrasjon
integrasjoner uttrekk deponering depot noark standard standarden journal journalføring
dokument dokumenter dokumentasjon brukere bruker opplæring prosjekt prosjektet
prosjektleder styringsgruppe fellesnemnd rådmann ansatte tjeneste tjenester lisens
lisenser kostnad kostnader pris tilbud konkurranse kontrakt bistand vedlikehold
oppgradering versjon test testing produksjon overgang frist januar desember erfaring
erfaringer råd tips problem problemer løsning løsninger spørsmål svar hjelp rutine
rutiner e-post epost telefon mobil nett pc maskiner skriver utskrift telefoni
videokonferanse teams office sharepoint fildeling database eksport import konvertering
mapping felt kodeverk klassifikasjon arkivplan bevaring kassasjon tidsplan ressurser
kompetanse samarbeid interkommunalt fylkeskommune fylke staten direktorat veileder
rapport analyse kartlegging status oversikt valg beslutning anbefaling vurdering risiko"""
FUNCTION_WORDS = """og i det som en på er til av for med at ikke den har de om et var vi kan skal
må vil hadde blir ble når der hva hvordan hvorfor også men eller så bare alle mange
flere noen ny nye gamle egen egne god gode dårlig første siste"""
