/** The Linux capability model: the 41 capabilities, masks, the five sets and Docker's defaults. */
package dev.capaudit.rules.capability;
