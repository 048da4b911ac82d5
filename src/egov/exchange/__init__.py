"""Inter-agency exchange of official documents (liên thông văn bản): edXML packages (QCVN
102:2016/BTTTT), status messages and the adapter to the document axis (Trục liên thông)."""
