// placeholder until issue 4
