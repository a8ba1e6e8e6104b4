using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using AutoencoderPS.Engine.Scheduling;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The task XML Register-AnomalyScoringTask registers on Windows (Register-ScheduledTask -Xml), validated against the
    /// rules of the published Task Scheduler schema that this task touches, written out below as an XSD: Task's children
    /// in any order with Actions required; a trigger's children in the base sequence's order (Enabled, StartBoundary,
    /// EndBoundary, Repetition, ExecutionTimeLimit, then RandomDelay); a repetition Interval from PT1M to P31D; the four
    /// MultipleInstancesPolicy values; booleans and durations typed. Task Scheduler itself can't run here; the GitHub
    /// Actions workflow registers a real task on Windows.
    /// </summary>
    public sealed class ScheduledTaskXmlTests
    {
        private const string Pwsh = @"C:\Program Files\PowerShell\7\pwsh.exe";
        private const string Script = @"C:\Program Files\PowerShell\Modules\AutoencoderPS\1.0.0\Invoke-ScheduledScoring.ps1";
        private static readonly DateTime Start = new DateTime(2026, 12, 4, 19, 5, 30, 250, DateTimeKind.Local);

        // The Task Scheduler schema's rules for the parts this task uses (types and facets as published; elements this
        // module never writes are left out, so writing one fails validation too).
        private const string SchemaSubset = @"<?xml version='1.0'?>
<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='http://schemas.microsoft.com/windows/2004/02/mit/task'
           xmlns='http://schemas.microsoft.com/windows/2004/02/mit/task' elementFormDefault='qualified'>
  <xs:element name='Task' type='taskType'/>
  <xs:complexType name='taskType'>
    <xs:all>
      <xs:element name='RegistrationInfo' type='registrationInfoType' minOccurs='0'/>
      <xs:element name='Triggers' type='triggersType' minOccurs='0'/>
      <xs:element name='Settings' type='settingsType' minOccurs='0'/>
      <xs:element name='Actions' type='actionsType'/>
    </xs:all>
    <xs:attribute name='version' type='versionType' use='optional'/>
  </xs:complexType>
  <xs:simpleType name='versionType'>
    <xs:restriction base='xs:string'><xs:pattern value='\d+(\.\d+){1,2}'/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name='nonEmptyString'>
    <xs:restriction base='xs:string'><xs:minLength value='1'/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name='registrationInfoType'>
    <xs:all>
      <xs:element name='URI' type='xs:anyURI' minOccurs='0'/>
      <xs:element name='Source' type='xs:string' minOccurs='0'/>
      <xs:element name='Date' type='xs:dateTime' minOccurs='0'/>
      <xs:element name='Author' type='xs:string' minOccurs='0'/>
      <xs:element name='Version' type='xs:string' minOccurs='0'/>
      <xs:element name='Description' type='xs:string' minOccurs='0'/>
      <xs:element name='Documentation' type='xs:string' minOccurs='0'/>
    </xs:all>
  </xs:complexType>
  <xs:complexType name='triggersType'>
    <xs:choice minOccurs='0' maxOccurs='48'>
      <xs:element name='TimeTrigger' type='timeTriggerType'/>
    </xs:choice>
  </xs:complexType>
  <xs:complexType name='triggerBaseType' abstract='true'>
    <xs:sequence>
      <xs:element name='Enabled' type='xs:boolean' minOccurs='0'/>
      <xs:element name='StartBoundary' type='xs:dateTime' minOccurs='0'/>
      <xs:element name='EndBoundary' type='xs:dateTime' minOccurs='0'/>
      <xs:element name='Repetition' type='repetitionType' minOccurs='0'/>
      <xs:element name='ExecutionTimeLimit' type='xs:duration' minOccurs='0'/>
    </xs:sequence>
    <xs:attribute name='id' type='xs:ID' use='optional'/>
  </xs:complexType>
  <xs:complexType name='timeTriggerType'>
    <xs:complexContent>
      <xs:extension base='triggerBaseType'>
        <xs:sequence><xs:element name='RandomDelay' type='xs:duration' minOccurs='0'/></xs:sequence>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
  <xs:complexType name='repetitionType'>
    <xs:all>
      <xs:element name='Interval'>
        <xs:simpleType>
          <xs:restriction base='xs:duration'><xs:minInclusive value='PT1M'/><xs:maxInclusive value='P31D'/></xs:restriction>
        </xs:simpleType>
      </xs:element>
      <xs:element name='Duration' minOccurs='0'>
        <xs:simpleType><xs:restriction base='xs:duration'><xs:minInclusive value='PT1M'/></xs:restriction></xs:simpleType>
      </xs:element>
      <xs:element name='StopAtDurationEnd' type='xs:boolean' minOccurs='0'/>
    </xs:all>
  </xs:complexType>
  <xs:simpleType name='multipleInstancesPolicyType'>
    <xs:restriction base='xs:string'>
      <xs:enumeration value='Parallel'/><xs:enumeration value='Queue'/><xs:enumeration value='IgnoreNew'/><xs:enumeration value='StopExisting'/>
    </xs:restriction>
  </xs:simpleType>
  <xs:complexType name='settingsType'>
    <xs:all>
      <xs:element name='AllowStartOnDemand' type='xs:boolean' minOccurs='0'/>
      <xs:element name='MultipleInstancesPolicy' type='multipleInstancesPolicyType' minOccurs='0'/>
      <xs:element name='DisallowStartIfOnBatteries' type='xs:boolean' minOccurs='0'/>
      <xs:element name='StopIfGoingOnBatteries' type='xs:boolean' minOccurs='0'/>
      <xs:element name='AllowHardTerminate' type='xs:boolean' minOccurs='0'/>
      <xs:element name='StartWhenAvailable' type='xs:boolean' minOccurs='0'/>
      <xs:element name='RunOnlyIfNetworkAvailable' type='xs:boolean' minOccurs='0'/>
      <xs:element name='WakeToRun' type='xs:boolean' minOccurs='0'/>
      <xs:element name='Enabled' type='xs:boolean' minOccurs='0'/>
      <xs:element name='Hidden' type='xs:boolean' minOccurs='0'/>
      <xs:element name='ExecutionTimeLimit' type='xs:duration' minOccurs='0'/>
      <xs:element name='Priority' minOccurs='0'>
        <xs:simpleType><xs:restriction base='xs:byte'><xs:minInclusive value='0'/><xs:maxInclusive value='10'/></xs:restriction></xs:simpleType>
      </xs:element>
    </xs:all>
  </xs:complexType>
  <xs:complexType name='actionsType'>
    <xs:sequence>
      <xs:element name='Exec' type='execType' minOccurs='1' maxOccurs='32'/>
    </xs:sequence>
    <xs:attribute name='Context' type='xs:IDREF' use='optional'/>
  </xs:complexType>
  <xs:complexType name='execType'>
    <xs:all>
      <xs:element name='Command' type='nonEmptyString'/>
      <xs:element name='Arguments' type='xs:string' minOccurs='0'/>
      <xs:element name='WorkingDirectory' type='nonEmptyString' minOccurs='0'/>
    </xs:all>
    <xs:attribute name='id' type='xs:ID' use='optional'/>
  </xs:complexType>
</xs:schema>";

        private static readonly XNamespace Ns = ScheduledTaskDefinition.XmlNamespace;

        private static ScheduledTaskDefinition Definition(TimeSpan interval, params string[] paths) =>
            new ScheduledTaskDefinition("score-web", interval, new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\Models\web.aemodel",
                paths.Length == 0 ? new[] { @"D:\Exports\*.csv" } : paths, @"D:\Scored Rows\web.csv", @"D:\State\", "Csv"));

        /// <summary>Validation errors of the XML against the schema subset (none when it conforms).</summary>
        private static List<string> SchemaErrors(string xml)
        {
            var schemas = new XmlSchemaSet();
            using (var reader = XmlReader.Create(new StringReader(SchemaSubset))) schemas.Add(null, reader);
            var errors = new List<string>();
            var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
            settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
            using (var reader = XmlReader.Create(new StringReader(xml), settings)) while (reader.Read()) { }
            return errors;
        }

        [Fact]
        public void TheTaskXmlConformsToTheSchema()
        {
            string xml = Definition(TimeSpan.FromMinutes(15)).ToXml(Start);
            Assert.Empty(SchemaErrors(xml));
            Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-16\"?>", xml);
        }

        [Fact]
        public void TheTaskXmlCarriesEveryValueOfTheDefinition()
        {
            var definition = Definition(TimeSpan.FromMinutes(15));
            var task = XDocument.Parse(definition.ToXml(Start)).Root!;
            Assert.Equal("1.2", (string?)task.Attribute("version"));
            Assert.Equal(@"\AutoencoderPS\score-web", task.Element(Ns + "RegistrationInfo")!.Element(Ns + "URI")!.Value);
            Assert.Equal(definition.Description, task.Element(Ns + "RegistrationInfo")!.Element(Ns + "Description")!.Value);

            var trigger = Assert.Single(task.Element(Ns + "Triggers")!.Elements());
            Assert.Equal("TimeTrigger", trigger.Name.LocalName);
            Assert.Equal("2026-12-04T19:05:30", trigger.Element(Ns + "StartBoundary")!.Value); // local time, whole seconds
            var repetition = trigger.Element(Ns + "Repetition")!;
            Assert.Equal("PT15M", repetition.Element(Ns + "Interval")!.Value);
            Assert.Null(repetition.Element(Ns + "Duration")); // no duration: it repeats indefinitely

            var settings = task.Element(Ns + "Settings")!;
            Assert.Equal("IgnoreNew", settings.Element(Ns + "MultipleInstancesPolicy")!.Value);
            Assert.Equal("true", settings.Element(Ns + "StartWhenAvailable")!.Value);
            Assert.Equal("false", settings.Element(Ns + "DisallowStartIfOnBatteries")!.Value);
            Assert.Equal("false", settings.Element(Ns + "StopIfGoingOnBatteries")!.Value);

            Assert.Null(task.Element(Ns + "Principals")); // runs as the registering user, as Register-ScheduledTask without -User
            var exec = Assert.Single(task.Element(Ns + "Actions")!.Elements());
            Assert.Equal("Exec", exec.Name.LocalName);
            Assert.Equal(Pwsh, exec.Element(Ns + "Command")!.Value);
            Assert.Equal(definition.Argument, exec.Element(Ns + "Arguments")!.Value);
        }

        [Theory]
        [InlineData(1, "PT1M")]
        [InlineData(90, "PT1H30M")]
        [InlineData(24 * 60, "P1D")]
        [InlineData(31 * 24 * 60, "P31D")]
        public void EveryIntervalTheDefinitionAcceptsIsAValidRepetitionInterval(int minutes, string text)
        {
            string xml = Definition(TimeSpan.FromMinutes(minutes)).ToXml(Start);
            Assert.Empty(SchemaErrors(xml));
            Assert.Contains($"<Interval>{text}</Interval>", xml);
        }

        [Fact]
        public void TheDefinitionRefusesIntervalsTheSchemaRefuses()
        {
            Assert.Throws<ScoringTaskException>(() => Definition(TimeSpan.FromSeconds(30)));
            Assert.Throws<ScoringTaskException>(() => Definition(TimeSpan.FromDays(31) + TimeSpan.FromMinutes(1)));
        }

        [Fact]
        public void ArgumentsWithXmlAndQuotingCharactersArriveExactly()
        {
            var action = new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\M&M <prod>\it's ""quoted""\m.aemodel",
                new[] { @"\\server\share\a b\", @"D:\Ümlaut & Co\x.csv" }, @"C:\Out\", @"C:\State dir\s.json", "JsonLines");
            var definition = new ScheduledTaskDefinition("multi", TimeSpan.FromMinutes(5), action);
            string xml = definition.ToXml(Start);
            Assert.Empty(SchemaErrors(xml));

            string arguments = XDocument.Parse(xml).Root!.Element(Ns + "Actions")!.Element(Ns + "Exec")!.Element(Ns + "Arguments")!.Value;
            Assert.Equal(definition.Argument, arguments);
            Assert.Equal(action.Arguments, CommandLineQuoting.WindowsSplit(arguments));
            Assert.Equal(action.CommandLine, ScheduledTaskDefinition.ParseAction(Pwsh, arguments)!.CommandLine);
        }

        [Fact]
        public void TheSchemaSubsetRejectsTheMistakesItGuardsAgainst()
        {
            string xml = Definition(TimeSpan.FromMinutes(15)).ToXml(Start);
            var doc = XDocument.Parse(xml);
            var trigger = doc.Root!.Element(Ns + "Triggers")!.Element(Ns + "TimeTrigger")!;

            // Enabled after Repetition: out of the trigger sequence's order.
            var misordered = new XDocument(doc);
            misordered.Root!.Element(Ns + "Triggers")!.Element(Ns + "TimeTrigger")!.Add(new XElement(Ns + "Enabled", "true"));
            Assert.NotEmpty(SchemaErrors(misordered.ToString()));

            var noActions = new XDocument(doc);
            noActions.Root!.Element(Ns + "Actions")!.Remove();
            Assert.NotEmpty(SchemaErrors(noActions.ToString()));

            var seconds = new XDocument(doc);
            seconds.Descendants(Ns + "Interval").Single().Value = "PT30S";
            Assert.NotEmpty(SchemaErrors(seconds.ToString()));

            var timeSpanText = new XDocument(doc);
            timeSpanText.Descendants(Ns + "Interval").Single().Value = "00:15:00"; // a TimeSpan's ToString, not a PT duration
            Assert.NotEmpty(SchemaErrors(timeSpanText.ToString()));

            var policy = new XDocument(doc);
            policy.Descendants(Ns + "MultipleInstancesPolicy").Single().Value = "Ignore";
            Assert.NotEmpty(SchemaErrors(policy.ToString()));

            Assert.NotNull(trigger);
        }
    }
}
