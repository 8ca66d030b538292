"""Names for the synthetic national data set: providers, units, products and standard texts.

Only names; the regions (38 provinces, 514 regencies/cities) come from ``pantau load_regions``.
Each product pool is a list of (name, category); categories are ``ServiceProduct.Category``.
"""

from __future__ import annotations

KEMENTERIAN = [
    "Kementerian Dalam Negeri", "Kementerian Agama", "Kementerian Hukum", "Kementerian Kesehatan",
    "Kementerian Pendidikan Dasar dan Menengah", "Kementerian Sosial", "Kementerian Ketenagakerjaan",
    "Kementerian Perhubungan", "Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional",
    "Kementerian Keuangan", "Kementerian Imigrasi dan Pemasyarakatan", "Kementerian Pertanian",
    "Kementerian Kelautan dan Perikanan", "Kementerian Lingkungan Hidup", "Kementerian Kehutanan",
    "Kementerian Perindustrian", "Kementerian Perdagangan", "Kementerian Energi dan Sumber Daya Mineral",
    "Kementerian Pekerjaan Umum", "Kementerian Perumahan dan Kawasan Permukiman",
    "Kementerian Komunikasi dan Digital", "Kementerian Koperasi",
    "Kementerian Usaha Mikro, Kecil, dan Menengah", "Kementerian Pariwisata",
    "Kementerian Desa dan Pembangunan Daerah Tertinggal",
    "Kementerian Pendidikan Tinggi, Sains, dan Teknologi", "Kementerian Pemuda dan Olahraga",
    "Kementerian Luar Negeri", "Kementerian Investasi dan Hilirisasi",
    "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
]

LEMBAGA = [
    "Badan Pusat Statistik", "Badan Kepegawaian Negara", "Badan Pengawas Obat dan Makanan",
    "Badan Meteorologi, Klimatologi, dan Geofisika", "Kepolisian Negara Republik Indonesia",
    "Badan Narkotika Nasional", "Badan Pelindungan Pekerja Migran Indonesia",
    "Badan Kependudukan dan Keluarga Berencana Nasional", "BPJS Kesehatan", "BPJS Ketenagakerjaan",
    "Badan Pengawasan Keuangan dan Pembangunan", "Badan Standardisasi Nasional",
    "Badan Nasional Pencarian dan Pertolongan", "Badan Informasi Geospasial",
    "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah",
]

BUMN = [
    "PT PLN (Persero)", "PT Pos Indonesia (Persero)", "PT Kereta Api Indonesia (Persero)",
    "PT Pertamina (Persero)", "PT Bank Rakyat Indonesia (Persero) Tbk", "PT Pelabuhan Indonesia (Persero)",
    "Perum BULOG", "PT Taspen (Persero)", "PT Pegadaian", "PT ASDP Indonesia Ferry (Persero)",
]

# Units of a regional government, most important first (every government has the first ones).
OPD = [
    ("Dinas Kependudukan dan Pencatatan Sipil", "dinas", "dukcapil"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas", "dpmptsp"),
    ("Dinas Kesehatan", "dinas", "dinkes"),
    ("RSUD {place}", "rsud", "rsud"),
    ("Mal Pelayanan Publik {place}", "mpp", "mpp"),
    ("Dinas Sosial", "dinas", "dinsos"),
    ("Dinas Perhubungan", "dinas", "dishub"),
    ("Dinas Tenaga Kerja", "dinas", "disnaker"),
    ("Badan Pendapatan Daerah", "badan", "bapenda"),
    ("Dinas Pendidikan", "dinas", "disdik"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", "generic"),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "dinas", "generic"),
    ("Dinas Lingkungan Hidup", "dinas", "generic"),
    ("Dinas Koperasi dan Usaha Mikro", "dinas", "generic"),
    ("Dinas Perdagangan", "dinas", "generic"),
    ("Dinas Pertanian", "dinas", "generic"),
    ("Dinas Perikanan", "dinas", "generic"),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas", "dinsos"),
    ("Dinas Pengendalian Penduduk dan Keluarga Berencana", "dinas", "generic"),
    ("Dinas Kearsipan dan Perpustakaan", "dinas", "generic"),
    ("Dinas Komunikasi dan Informatika", "dinas", "generic"),
    ("Dinas Pemadam Kebakaran dan Penyelamatan", "dinas", "generic"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", "generic"),
    ("Badan Penanggulangan Bencana Daerah", "badan", "generic"),
    ("Satuan Polisi Pamong Praja", "lainnya", "generic"),
]

DIRECTIONS = ["", " Utara", " Selatan", " Timur", " Barat", " Tengah", " Hulu", " Hilir", " Kota", " Baru"]

PRODUCTS: dict[str, list[tuple[str, str]]] = {
    "dukcapil": [
        ("Penerbitan KTP-el", "adminduk"), ("Penerbitan Kartu Keluarga", "adminduk"),
        ("Penerbitan Akta Kelahiran", "adminduk"), ("Penerbitan Akta Kematian", "adminduk"),
        ("Penerbitan Kartu Identitas Anak (KIA)", "adminduk"), ("Surat Keterangan Pindah", "adminduk"),
        ("Penerbitan Akta Perkawinan", "adminduk"), ("Penerbitan Akta Perceraian", "adminduk"),
        ("Pencatatan Pengakuan Anak", "adminduk"), ("Perubahan Data Kependudukan", "adminduk"),
        ("Legalisasi Dokumen Kependudukan", "adminduk"), ("Aktivasi Identitas Kependudukan Digital", "adminduk"),
    ],
    "dpmptsp": [
        ("Persetujuan Bangunan Gedung (PBG)", "perizinan"), ("Perizinan Berusaha Berbasis Risiko (NIB)", "perizinan"),
        ("Surat Izin Praktik Dokter", "perizinan"), ("Izin Penyelenggaraan Reklame", "perizinan"),
        ("Surat Izin Praktik Bidan", "perizinan"), ("Surat Izin Praktik Perawat", "perizinan"),
        ("Sertifikat Laik Fungsi (SLF)", "perizinan"), ("Izin Operasional Klinik", "perizinan"),
        ("Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR)", "perizinan"), ("Izin Penelitian", "nonperizinan"),
        ("Tanda Daftar Usaha Pariwisata", "perizinan"), ("Persetujuan Lingkungan", "perizinan"),
        ("Izin Usaha Toko Swalayan", "perizinan"), ("Izin Operasional Satuan Pendidikan", "perizinan"),
    ],
    "dinkes": [
        ("Sertifikat Laik Higiene Sanitasi", "kesehatan"), ("Rekomendasi Izin Apotek", "kesehatan"),
        ("Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)", "kesehatan"),
        ("Registrasi Tenaga Kesehatan", "kesehatan"), ("Rekomendasi Izin Praktik Tenaga Kesehatan", "kesehatan"),
        ("Pelayanan Ambulans Gawat Darurat", "kesehatan"),
    ],
    "rsud": [
        ("Pendaftaran Rawat Jalan", "kesehatan"), ("Pelayanan Gawat Darurat (IGD)", "kesehatan"),
        ("Pelayanan Rawat Inap", "kesehatan"), ("Surat Keterangan Sehat", "kesehatan"),
        ("Pemeriksaan Laboratorium", "kesehatan"), ("Pemeriksaan Radiologi", "kesehatan"),
        ("Pelayanan Farmasi", "kesehatan"), ("Medical Check Up", "kesehatan"),
        ("Pelayanan Hemodialisis", "kesehatan"), ("Pelayanan Persalinan", "kesehatan"),
    ],
    "puskesmas": [
        ("Pemeriksaan Umum", "kesehatan"), ("Pelayanan Kesehatan Ibu dan Anak", "kesehatan"),
        ("Imunisasi", "kesehatan"), ("Pelayanan Kesehatan Gigi dan Mulut", "kesehatan"),
        ("Surat Keterangan Sehat", "kesehatan"), ("Pemeriksaan Laboratorium Sederhana", "kesehatan"),
        ("Konseling Gizi", "kesehatan"), ("Pelayanan Keluarga Berencana", "kesehatan"),
    ],
    "kecamatan": [
        ("Surat Keterangan Tidak Mampu (SKTM)", "nonperizinan"), ("Surat Keterangan Ahli Waris", "nonperizinan"),
        ("Legalisasi Dokumen Kependudukan", "adminduk"), ("Surat Keterangan Domisili Usaha", "nonperizinan"),
        ("Surat Pengantar SKCK", "nonperizinan"), ("Rekomendasi Dispensasi Nikah", "nonperizinan"),
        ("Surat Keterangan Pindah Datang", "adminduk"),
    ],
    "mpp": [
        ("Layanan Informasi dan Pengaduan Terpadu", "nonperizinan"), ("Layanan Paspor", "nonperizinan"),
        ("Layanan Samsat", "nonperizinan"), ("Layanan BPJS Kesehatan", "kesehatan"),
        ("Layanan Perpajakan", "nonperizinan"), ("Layanan Pertanahan", "nonperizinan"),
    ],
    "sekolah": [
        ("Penerimaan Murid Baru", "pendidikan"), ("Legalisasi Ijazah", "pendidikan"),
        ("Surat Keterangan Pindah Sekolah", "pendidikan"), ("Surat Keterangan Pengganti Ijazah", "pendidikan"),
    ],
    "dinsos": [
        ("Rekomendasi Penerima Bantuan Iuran Jaminan Kesehatan", "sosial"),
        ("Pemutakhiran Data Terpadu Kesejahteraan Sosial", "sosial"),
        ("Bantuan Sosial Korban Bencana", "sosial"), ("Rekomendasi Rehabilitasi Sosial", "sosial"),
        ("Pengangkatan Anak", "sosial"),
    ],
    "dishub": [
        ("Pengujian Kendaraan Bermotor (Uji KIR)", "perizinan"), ("Izin Trayek Angkutan", "perizinan"),
        ("Analisis Dampak Lalu Lintas", "perizinan"), ("Izin Penyelenggaraan Parkir", "perizinan"),
    ],
    "disnaker": [
        ("Kartu Tanda Pencari Kerja (AK-1)", "nonperizinan"), ("Pengesahan Peraturan Perusahaan", "perizinan"),
        ("Pencatatan Perjanjian Kerja Bersama", "nonperizinan"),
        ("Mediasi Perselisihan Hubungan Industrial", "lainnya"),
    ],
    "bapenda": [
        ("Pelayanan PBB-P2", "lainnya"), ("Pelayanan BPHTB", "lainnya"), ("Pendaftaran Wajib Pajak Daerah", "lainnya"),
        ("Keberatan dan Pengurangan Pajak Daerah", "lainnya"),
    ],
    "disdik": [
        ("Legalisasi Ijazah", "pendidikan"), ("Rekomendasi Pendirian Satuan Pendidikan", "pendidikan"),
        ("Surat Keterangan Pengganti Ijazah", "pendidikan"), ("Mutasi Peserta Didik", "pendidikan"),
    ],
    "samsat": [
        ("Pengesahan STNK Tahunan", "lainnya"), ("Pembayaran Pajak Kendaraan Bermotor", "lainnya"),
        ("Balik Nama Kendaraan Bermotor", "lainnya"), ("Mutasi Kendaraan Bermotor", "lainnya"),
    ],
    "kantor": [
        ("Pelayanan Informasi Publik", "nonperizinan"), ("Pengaduan Masyarakat", "nonperizinan"),
        ("Rekomendasi Teknis", "perizinan"), ("Permohonan Data dan Informasi", "nonperizinan"),
        ("Konsultasi Layanan", "nonperizinan"), ("Legalisasi Dokumen", "nonperizinan"),
    ],
    "pelanggan": [
        ("Pasang Baru", "lainnya"), ("Perubahan Daya atau Golongan", "lainnya"),
        ("Pengaduan Gangguan", "lainnya"), ("Balik Nama Pelanggan", "lainnya"), ("Informasi Tagihan", "lainnya"),
    ],
    "generic": [
        ("Pelayanan Informasi Publik", "nonperizinan"), ("Pengaduan Masyarakat", "nonperizinan"),
        ("Rekomendasi Teknis", "perizinan"), ("Permohonan Data", "nonperizinan"),
        ("Konsultasi Teknis", "nonperizinan"), ("Pendampingan dan Pembinaan", "lainnya"),
    ],
}

# Products of the offices of some national institutions, by a word of the institution's name.
NATIONAL_PRODUCTS: dict[str, list[tuple[str, str]]] = {
    "Agama": [("Pendaftaran Haji Reguler", "nonperizinan"), ("Pencatatan Nikah", "adminduk"),
              ("Legalisasi Ijazah Madrasah", "pendidikan"), ("Rekomendasi Paspor Haji dan Umrah", "nonperizinan")],
    "Pertanahan": [("Pendaftaran Tanah Pertama Kali", "perizinan"), ("Peralihan Hak atas Tanah", "perizinan"),
                   ("Pengecekan Sertipikat", "nonperizinan"), ("Roya", "nonperizinan"),
                   ("Pengukuran dan Pemetaan Bidang Tanah", "nonperizinan")],
    "Imigrasi": [("Penerbitan Paspor", "nonperizinan"), ("Izin Tinggal Terbatas", "perizinan"),
                 ("Penggantian Paspor Hilang atau Rusak", "nonperizinan")],
    "Kepolisian": [("Surat Keterangan Catatan Kepolisian (SKCK)", "nonperizinan"), ("Penerbitan SIM Baru", "perizinan"),
                   ("Perpanjangan SIM", "perizinan"), ("Laporan Kehilangan", "nonperizinan")],
    "Statistik": [("Layanan Data Statistik", "nonperizinan"), ("Konsultasi Statistik", "nonperizinan"),
                  ("Rekomendasi Kegiatan Statistik", "nonperizinan")],
    "BPJS": [("Pendaftaran Peserta", "kesehatan"), ("Perubahan Data Peserta", "kesehatan"),
             ("Pengajuan Klaim", "lainnya"), ("Penanganan Pengaduan Peserta", "nonperizinan")],
    "Obat": [("Sertifikasi Cara Pembuatan Pangan Olahan", "perizinan"), ("Registrasi Obat Tradisional", "perizinan"),
             ("Pengujian Sampel Pangan", "kesehatan")],
    "Hukum": [("Pendaftaran Fidusia", "nonperizinan"), ("Pengesahan Badan Hukum Yayasan", "perizinan"),
              ("Pencatatan Hak Cipta", "nonperizinan")],
}

REQUIREMENTS: dict[str, list[str]] = {
    "adminduk": ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW dan kelurahan", "Formulir F-1.01 yang sudah diisi",
                 "KTP-el asli", "Surat keterangan lahir dari bidan/rumah sakit", "Buku nikah atau akta perkawinan",
                 "Surat pernyataan tanggung jawab mutlak (SPTJM)"],
    "perizinan": ["NIB dari sistem OSS", "KTP-el pemohon", "Dokumen teknis sesuai jenis izin",
                  "Bukti kepemilikan/penguasaan lahan", "Gambar rencana teknis", "Bukti pelunasan PBB tahun berjalan",
                  "Surat kuasa bermeterai bila dikuasakan"],
    "kesehatan": ["KTP-el atau Kartu Identitas Anak", "Kartu BPJS Kesehatan (bila ada)",
                  "Surat rujukan (untuk rawat jalan)", "Kartu berobat", "Hasil pemeriksaan sebelumnya (bila ada)"],
    "nonperizinan": ["KTP-el dan Kartu Keluarga", "Surat pengantar RT/RW", "Surat pernyataan bermeterai (bila diminta)",
                     "Formulir permohonan", "Pas foto berwarna 3x4 dua lembar"],
    "pendidikan": ["Fotokopi ijazah yang dilegalisasi", "Rapor terakhir", "Kartu Keluarga",
                   "Surat keterangan dari sekolah asal", "Pas foto 3x4"],
    "sosial": ["KTP-el dan Kartu Keluarga", "Surat keterangan tidak mampu dari kelurahan", "Surat pengantar RT/RW",
               "Foto rumah tampak depan"],
    "lainnya": ["KTP-el pemohon", "Formulir permohonan", "Bukti pembayaran terakhir", "Surat kuasa bila dikuasakan"],
}

STEPS = [
    "Pemohon mengambil nomor antrean", "Petugas loket memeriksa kelengkapan berkas",
    "Pemohon mengisi formulir permohonan", "Berkas diverifikasi dan diproses", "Petugas melakukan pemeriksaan lapangan",
    "Pejabat berwenang menandatangani", "Produk diserahkan kepada pemohon", "Pemohon mengisi survei kepuasan",
]

MANAGEMENT_TEXT = {
    "legal_basis": "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik\n"
                   "Peraturan Menteri PANRB Nomor 15 Tahun 2014",
    "facilities": "Ruang tunggu\nMesin antrean\nToilet umum dan toilet difabel\nRuang laktasi",
    "competence": "Berpendidikan minimal SMA/sederajat, memahami standar pelayanan dan etika pelayanan",
    "supervision": "Dilakukan oleh atasan langsung dan Inspektorat",
    "staff_count": "{n} orang petugas loket dan {m} orang verifikator",
    "guarantee": "Pelayanan diberikan sesuai standar; bila tidak, pengguna dapat menyampaikan pengaduan",
    "safety": "Ruang pelayanan dilengkapi APAR, jalur evakuasi, dan CCTV",
    "evaluation": "Evaluasi kinerja pelaksana setiap 6 bulan dan survei kepuasan masyarakat setiap tahun",
}

VULNERABLE = "Kursi roda, jalur landai (ram), loket prioritas untuk lansia, ibu hamil dan penyandang disabilitas"
STREETS = ["Jl. Jenderal Sudirman", "Jl. Ahmad Yani", "Jl. Diponegoro", "Jl. Pangeran Antasari",
           "Jl. Gatot Subroto", "Jl. Merdeka", "Jl. Pahlawan", "Jl. Imam Bonjol"]

# Regional enterprises (BUMD) of the national profile, one of each per regency/city as needed.
BUMD = [
    "Perumda Air Minum Tirta {place} ({code})", "Perumda Pasar {place} ({code})",
    "PT BPR Bank {place} ({code})", "Perumda Aneka Usaha {place} ({code})",
]
