"""The pure core of one cycle: match pulled contacts to Salesforce records, plan the writes."""
