/** The JUnit XML report for CI test tabs: written with StAX, valid against the Jenkins xUnit junit-10.xsd. */
package dev.capaudit.reports.junit;
